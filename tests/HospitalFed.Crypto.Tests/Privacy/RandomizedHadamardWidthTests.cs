using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Privacy;

namespace HospitalFed.Crypto.Tests.Privacy;

/// <summary>The blocked, vectorised rotation against the textbook scalar loop, on every instruction path this machine has.</summary>
public sealed class RandomizedHadamardWidthTests
{
    private static readonly byte[] Seed = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();

    // Every size class: tiny (scalar inside), one row, one block, blocks plus one tile group, non powers of two.
    private static readonly int[] Dimensions = [1, 2, 3, 5, 8, 9, 16, 17, 100, 1000, 4095, 4096, 4097, 10_000, 40_000, 65_535, 65_536];

    private static IEnumerable<TestCaseData> WidthsAndDimensions() =>
        from width in SimdSupport.Supported
        from dimension in Dimensions
        select new TestCaseData(width.ToString(), dimension);

    [TestCaseSource(nameof(WidthsAndDimensions))]
    public void Rotate_EveryWidthAndSize_BitIdenticalToScalarReference(string widthName, int dimension)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        // Arrange
        var x = RandomVector(dimension, seed: dimension);
        var rotation = new RandomizedHadamard(dimension, Seed);
        var fast = new double[rotation.PaddedDimension];
        var reference = new double[rotation.PaddedDimension];

        // Act
        rotation.Rotate(x, fast, width);
        rotation.RotateReference(x, reference);

        // Assert: the same butterflies in the same order per element, so equal bit for bit
        Assert.That(fast, Is.EqualTo(reference));
    }

    [TestCaseSource(nameof(WidthsAndDimensions))]
    public void InverseInPlace_EveryWidthAndSize_ReturnsTheInputAndKeepsTheNorm(string widthName, int dimension)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        // Arrange
        var x = RandomVector(dimension, seed: -dimension);
        var rotation = new RandomizedHadamard(dimension, Seed);
        var rotated = new double[rotation.PaddedDimension];
        var back = new double[dimension];

        // Act
        rotation.Rotate(x, rotated, width);
        var rotatedNorm = Math.Sqrt(rotated.Sum(v => v * v));
        rotation.InverseInPlace(rotated, back, width);

        // Assert
        var norm = Math.Sqrt(x.Sum(v => (double)v * v));
        Assert.Multiple(() =>
        {
            Assert.That(rotatedNorm, Is.EqualTo(norm).Within(1e-12 * norm));
            Assert.That(back, Is.EqualTo(x.Select(v => (double)v).ToArray()).Within(1e-12));
        });
    }

    [Test]
    public void Rotate_TwoTo22_TwoTileGroups_BitIdenticalToScalarReference()
    {
        // Arrange: 22 levels = 12 in blocks + two tile groups of 5, the schedule of the largest plans
        const int dimension = (1 << 22) - 3;
        var x = RandomVector(dimension, seed: 22);
        var rotation = new RandomizedHadamard(dimension, Seed);
        var fast = new double[rotation.PaddedDimension];
        var reference = new double[rotation.PaddedDimension];

        // Act
        rotation.Rotate(x, fast);
        rotation.RotateReference(x, reference);

        // Assert
        Assert.That(fast.AsSpan().SequenceEqual(reference), Is.True, "the blocked rotation differs from the reference");
    }

    private static float[] RandomVector(int dimension, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
