using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy;

namespace HospitalFed.Crypto.Tests.Privacy;

public sealed class DistributedDiscreteGaussianTests
{
    private static readonly byte[] RotationSeed = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    [Test]
    public void DecodeSum_FiveSitesSummedMod2To32_IsSumOfClippedInputsPlusNoiseOfTheStatedVariance()
    {
        // Arrange: n = 5 sites, m = 3, sigma^2 = 300 (each share 100), gamma = 64, c = 1
        const int sites = 5;
        const int dimension = 16_000;
        var parameters = DistributedDiscreteGaussianParameters.WithVariance(dimension, 1.0, 64.0, Math.Exp(-0.5), 300.0, 3, RotationSeed);
        var mechanism = new DistributedDiscreteGaussian(parameters);
        var inputs = Enumerable.Range(0, sites).Select(RandomUpdate).ToArray();
        var sum = new uint[mechanism.PaddedDimension];
        var words = new uint[mechanism.PaddedDimension];

        // Act
        for (var i = 0; i < sites; i++)
        {
            using var random = SeededRandomSource.FromLabel($"ddg-site-{i}");
            mechanism.Encode(inputs[i], words, random);
            for (var j = 0; j < words.Length; j++)
            {
                sum[j] = unchecked(sum[j] + words[j]);
            }
        }

        var decoded = new double[dimension];
        mechanism.DecodeSum(sum, decoded);

        // Assert: the clipped sum is computed here from the definition, x * min(1, c / ||x||)
        var expected = new double[dimension];
        foreach (var x in inputs)
        {
            var norm = Math.Sqrt(x.Sum(v => (double)v * v));
            var factor = Math.Min(1.0, 1.0 / norm);
            for (var j = 0; j < dimension; j++)
            {
                expected[j] += x[j] * factor;
            }
        }

        var residual = decoded.Zip(expected, (a, b) => a - b).ToArray();
        var mean = residual.Average();
        var variance = residual.Select(r => (r - mean) * (r - mean)).Average();
        var theoretical = sites * 300.0 / (3 * 64.0 * 64.0); // n sigma^2 / (m gamma^2)
        Assert.Multiple(() =>
        {
            Assert.That(mechanism.DecodedNoiseVariance(sites), Is.EqualTo(theoretical).Within(1e-12));
            Assert.That(variance, Is.EqualTo(theoretical).Within(0.10 * theoretical));
            Assert.That(mean, Is.EqualTo(0).Within(5 * Math.Sqrt(theoretical / dimension)));
        });
    }

    [Test]
    public void DecodeSum_SignalSumCrossing2To31_WrapsToNegativeAsDocumented()
    {
        // Arrange: d = 1, c = 1, gamma = 2^30 - 2, so a site sending x = 1 contributes
        // +-(2^30 - 2) (the sign is the rotation's) plus small noise; two sites sum to
        // 2^31 - 4 (fits), three to 3 * 2^30 - 6 > 2^31, which wraps by -2^32
        const double scale = (1 << 30) - 2;
        var parameters = DistributedDiscreteGaussianParameters.WithVariance(1, 1.0, scale, Math.Exp(-0.5), 1.0, 1, RotationSeed);
        var mechanism = new DistributedDiscreteGaussian(parameters);

        // Act
        var two = DecodeOnesFrom(mechanism, 2);
        var three = DecodeOnesFrom(mechanism, 3);

        // Assert: (3 * (2^30 - 2) - 2^32) / (2^30 - 2) = 3 - 2^32 / (2^30 - 2)
        Assert.Multiple(() =>
        {
            Assert.That(two, Is.EqualTo(2.0).Within(1e-6));
            Assert.That(three, Is.EqualTo(3.0 - (4294967296.0 / scale)).Within(1e-6));
            Assert.That(mechanism.FitsWithoutOverflow(2, noiseDeviations: 0), Is.True);
            Assert.That(mechanism.FitsWithoutOverflow(3), Is.False);
            Assert.That(mechanism.WorstCaseSignalBound(3), Is.GreaterThan(2147483648.0));
        });
    }

    [Test]
    public void FitsWithoutOverflow_TypicalParameters_HoldsForHundredSites()
    {
        var parameters = DistributedDiscreteGaussianParameters.WithVariance(1 << 20, 1.0, 1024.0, Math.Exp(-0.5), 4096.0, 10, RotationSeed);
        var mechanism = new DistributedDiscreteGaussian(parameters);

        Assert.Multiple(() =>
        {
            Assert.That(mechanism.FitsWithoutOverflow(100), Is.True);
            Assert.That(mechanism.WorstCaseSignalBound(100), Is.LessThan(2147483648.0));
        });
    }

    [Test]
    public void Encode_NoiseShareDrawnAhead_AddsExactlyThatShareToTheRoundedWords()
    {
        // Arrange: the same rounding coins twice (same seed), once with a zero share, once with a drawn one.
        var parameters = DistributedDiscreteGaussianParameters.WithVariance(1_000, 1.0, 64.0, Math.Exp(-0.5), 300.0, 3, RotationSeed);
        var mechanism = new DistributedDiscreteGaussian(parameters);
        var update = RandomUpdate(7)[..1_000];
        var share = new int[mechanism.PaddedDimension];
        using (var noise = SeededRandomSource.FromLabel("ddg-share"))
        {
            mechanism.DrawNoiseShare(share, noise);
        }

        var plain = new uint[mechanism.PaddedDimension];
        var noised = new uint[mechanism.PaddedDimension];

        // Act
        using (var coins = SeededRandomSource.FromLabel("ddg-coins"))
        {
            mechanism.Encode(update, new int[mechanism.PaddedDimension], plain, coins);
        }

        using (var coins = SeededRandomSource.FromLabel("ddg-coins"))
        {
            mechanism.Encode(update, share, noised, coins);
        }

        // Assert: word = rounded + share in Z_2^32, and the share has the site's variance sigma^2 / m = 100.
        var shareVariance = share.Select(v => (double)v * v).Average();
        Assert.Multiple(() =>
        {
            Assert.That(noised.Select((w, i) => unchecked(w - plain[i])), Is.EqualTo(share.Select(v => unchecked((uint)v))));
            Assert.That(shareVariance, Is.EqualTo(100.0).Within(15.0));
            Assert.That(() => mechanism.Encode(update, new int[3], noised), Throws.ArgumentException.With.Message.Contain("noise share"));
        });
    }

    [Test]
    public void Encode_WrongLength_ThrowsNamingBothLengths()
    {
        var mechanism = new DistributedDiscreteGaussian(DistributedDiscreteGaussianParameters.WithVariance(10, 1.0, 8.0, 0.5, 4.0, 2, RotationSeed));

        var error = Assert.Throws<ArgumentException>(() => mechanism.Encode(new float[9], new uint[16]));

        Assert.That(error!.Message, Does.Contain("10").And.Contain("9"));
    }

    [Test]
    public void Parameters_SameSeedBytesInAnotherArray_AreEqualAndADifferentSeedIsNot()
    {
        var a = DistributedDiscreteGaussianParameters.WithVariance(10, 1.0, 8.0, 0.5, 4.0, 2, RotationSeed);
        var b = DistributedDiscreteGaussianParameters.WithVariance(10, 1.0, 8.0, 0.5, 4.0, 2, RotationSeed.ToArray());
        var other = RotationSeed.ToArray();
        other[31] ^= 1;
        var c = DistributedDiscreteGaussianParameters.WithVariance(10, 1.0, 8.0, 0.5, 4.0, 2, other);

        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(a, Is.Not.EqualTo(c));
        });
    }

    [Test]
    public void Constructor_NoContributors_Throws()
    {
        var parameters = DistributedDiscreteGaussianParameters.WithVariance(10, 1.0, 8.0, 0.5, 4.0, 0, RotationSeed);

        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DistributedDiscreteGaussian(parameters));
    }

    private static double DecodeOnesFrom(DistributedDiscreteGaussian mechanism, int sites)
    {
        var sum = new uint[1];
        var words = new uint[1];
        for (var i = 0; i < sites; i++)
        {
            using var random = SeededRandomSource.FromLabel($"ddg-wrap-{sites}-{i}");
            mechanism.Encode([1f], words, random);
            sum[0] = unchecked(sum[0] + words[0]);
        }

        var decoded = new double[1];
        mechanism.DecodeSum(sum, decoded);
        return decoded[0];
    }

    private static float[] RandomUpdate(int site)
    {
        // Norms around 1.7, so clipping to 1 changes every site's update
        var random = new Random(site);
        return Enumerable.Range(0, 16_000).Select(_ => (float)(((random.NextDouble() * 2) - 1) * 0.025)).ToArray();
    }
}
