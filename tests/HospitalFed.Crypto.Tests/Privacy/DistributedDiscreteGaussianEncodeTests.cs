using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy;

namespace HospitalFed.Crypto.Tests.Privacy;

/// <summary>The fused encoding pipeline against the definition and across instruction paths.</summary>
public sealed class DistributedDiscreteGaussianEncodeTests
{
    private static readonly byte[] RotationSeed = Enumerable.Range(50, 32).Select(i => (byte)i).ToArray();

    private static IEnumerable<TestCaseData> WidthsAndDimensions() =>
        from width in SimdSupport.Supported
        from dimension in new[] { 3, 1000, 4096, 70_000 }
        select new TestCaseData(width.ToString(), dimension);

    [TestCaseSource(nameof(WidthsAndDimensions))]
    public void Encode_EveryWidth_SameWordsAsScalarFromTheSameRandomness(string widthName, int dimension)
    {
        // Arrange
        var width = Enum.Parse<SimdWidth>(widthName);
        var mechanism = Mechanism(dimension);
        var update = Update(dimension, seed: dimension, amplitude: 0.05f);
        var share = new int[mechanism.PaddedDimension];
        using (var noise = SeededRandomSource.FromLabel($"encode-width-share-{dimension}"))
        {
            mechanism.DrawNoiseShare(share, noise);
        }

        var fast = new uint[mechanism.PaddedDimension];
        var scalar = new uint[mechanism.PaddedDimension];

        // Act
        using (var coins = SeededRandomSource.FromLabel("encode-width-coins"))
        {
            mechanism.Encode(update, share, fast, coins, width);
        }

        using (var coins = SeededRandomSource.FromLabel("encode-width-coins"))
        {
            mechanism.Encode(update, share, scalar, coins, SimdWidth.Scalar);
        }

        // Assert
        Assert.That(fast, Is.EqualTo(scalar));
    }

    [TestCase(1000, 0.01f)]  // inside the ball: no clipping
    [TestCase(70_000, 0.05f)] // norm about 7.6: clipped to 1; 2^17 padded, blocks and a tile group
    public void Encode_ZeroShare_EachWordIsFloorOrCeilingOfTheScaledRotationOfTheClippedUpdate(int dimension, float amplitude)
    {
        // Arrange: the definition, from the public pieces: clip, rotate, multiply by gamma
        var mechanism = Mechanism(dimension);
        var update = Update(dimension, seed: 3, amplitude);
        var clipped = new float[dimension];
        L2Clipping.Clip(update, 1.0, clipped);
        var scaled = new double[mechanism.PaddedDimension];
        new RandomizedHadamard(dimension, RotationSeed).Rotate(clipped, scaled);
        var words = new uint[mechanism.PaddedDimension];

        // Act
        using (var coins = SeededRandomSource.FromLabel("encode-definition"))
        {
            mechanism.Encode(update, new int[mechanism.PaddedDimension], words, coins);
        }

        // Assert: |q - gamma y| < 1 (up to the float rounding of the reference's clipped copy), and ||q||^2 <= Delta^2
        var q = words.Select(w => (double)unchecked((int)w)).ToArray();
        var error = q.Select((v, i) => Math.Abs(v - (scaled[i] * 4096.0))).Max();
        var squares = q.Sum(v => v * v);
        var up = q.Where((v, i) => v > scaled[i] * 4096.0).Count();
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.LessThan(1 + 1e-3));
            Assert.That(squares, Is.LessThanOrEqualTo(mechanism.Rounding.NormBoundSquared));
            Assert.That(up, Is.GreaterThan(q.Length / 4).And.LessThan(3 * q.Length / 4), "coins should send roughly half the coordinates up");
        });
    }

    [Test]
    public void Encode_HalfwayFractions_RetriesSoEveryWordVectorMeetsTheNormBound()
    {
        // Arrange: a one-hot update of norm 1 rotates to +-1/8 on all 64 coordinates, which gamma = 20
        // scales to +-2.5; unconditioned rounding of that exceeds Delta^2 (beta = 1/2) about one time
        // in eight, so 400 encodings all within the bound means the pipeline retried
        var mechanism = new DistributedDiscreteGaussian(DistributedDiscreteGaussianParameters.WithVariance(64, 1.0, 20.0, 0.5, 1.0, 1, RotationSeed));
        var update = new float[64];
        update[5] = 1f;
        var zero = new int[64];
        var words = new uint[64];
        using var coins = SeededRandomSource.FromLabel("encode-retry");

        // Act and Assert
        for (var i = 0; i < 400; i++)
        {
            mechanism.Encode(update, zero, words, coins);
            var q = words.Select(w => unchecked((int)w)).ToArray();
            Assert.That(q.Select(Math.Abs), Is.All.InRange(2, 3), $"draw {i}");
            Assert.That(q.Sum(v => (long)v * v), Is.LessThanOrEqualTo(mechanism.Rounding.NormBoundSquared), $"draw {i}");
        }
    }

    [Test]
    public void Encode_NonFiniteCoordinate_ThrowsNamingItsIndexAndLeavesTheWordsUntouched()
    {
        var mechanism = Mechanism(100);
        var update = Update(100, seed: 1, amplitude: 0.01f);
        update[42] = float.NaN;
        var words = Enumerable.Repeat(7u, mechanism.PaddedDimension).ToArray();

        var error = Assert.Throws<ArgumentException>(() => mechanism.Encode(update, new int[mechanism.PaddedDimension], words));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("coordinate 42"));
            Assert.That(words, Is.All.EqualTo(7u));
        });
    }

    private static DistributedDiscreteGaussian Mechanism(int dimension) =>
        new(DistributedDiscreteGaussianParameters.WithVariance(dimension, 1.0, 4096.0, Math.Exp(-0.5), 1_000_000.0, 10, RotationSeed));

    private static float[] Update(int dimension, int seed, float amplitude)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1) * amplitude).ToArray();
    }
}
