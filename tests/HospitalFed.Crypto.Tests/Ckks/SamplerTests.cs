using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class SamplerTests
{
    [Test]
    public void Gaussian_ManySamples_MomentsMatchSigma32AndTailIsCut()
    {
        // Arrange
        using var random = SeededRandomSource.FromLabel("gaussian");
        var samples = new long[1 << 18];

        // Act
        Sampler.Gaussian(random, samples);

        // Assert: mean 0 and variance 3.2^2 = 10.24 within a few standard errors
        var mean = samples.Average();
        var variance = samples.Select(x => (x - mean) * (x - mean)).Average();
        Assert.Multiple(() =>
        {
            Assert.That(mean, Is.EqualTo(0).Within(0.05));
            Assert.That(variance, Is.EqualTo(10.24).Within(0.15));
            Assert.That(samples.Max(x => System.Math.Abs(x)), Is.LessThanOrEqualTo(Sampler.GaussianBound));
            Assert.That(samples.Count(x => x == 0) / (double)samples.Length, Is.EqualTo(0.1247).Within(0.004));
        });
    }

    [Test]
    public void Ternary_ManySamples_UniformOnMinusOneZeroOne()
    {
        using var random = SeededRandomSource.FromLabel("ternary");
        var samples = new long[1 << 16];

        Sampler.Ternary(random, samples);

        Assert.Multiple(() =>
        {
            Assert.That(samples, Is.All.InRange(-1, 1));
            foreach (var value in new long[] { -1, 0, 1 })
            {
                Assert.That(samples.Count(x => x == value) / (double)samples.Length, Is.EqualTo(1.0 / 3).Within(0.01), $"value {value}");
            }
        });
    }

    [Test]
    public void Uniform_SmudgingBound_StaysInRangeAndCoversIt()
    {
        using var random = SeededRandomSource.FromLabel("uniform");
        var samples = new long[1 << 16];
        const long bound = 1L << 56;

        Sampler.Uniform(random, bound, samples);

        Assert.Multiple(() =>
        {
            Assert.That(samples, Is.All.InRange(-bound, bound));
            Assert.That(samples.Min(), Is.LessThan(-bound * 0.99));
            Assert.That(samples.Max(), Is.GreaterThan(bound * 0.99));
            Assert.That(samples.Average(x => (double)x) / bound, Is.EqualTo(0).Within(0.02));
        });
    }

    [Test]
    public void AesCtrStream_KnownAnswer_IsEcbOfCounterBlocksAcrossSplitFills()
    {
        // Arrange: CTR keystream = AES-ECB_K(0^64 || counter), counter 0, 1, 2 (SP 800-38A §6.5)
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var counters = new byte[48];
        counters[15] = 0;
        counters[31] = 1;
        counters[47] = 2;
        using var aes = Aes.Create();
        aes.Key = key;
        var expected = aes.EncryptEcb(counters, PaddingMode.None);

        // Act
        using var whole = new AesCtrStream(key);
        var oneFill = new byte[48];
        whole.Fill(oneFill);
        using var split = new AesCtrStream(key);
        var splitFill = new byte[48];
        split.Fill(splitFill.AsSpan(0, 13));
        split.Fill(splitFill.AsSpan(13, 3));
        split.Fill(splitFill.AsSpan(16, 32));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(oneFill, Is.EqualTo(expected));
            Assert.That(splitFill, Is.EqualTo(expected));
        });
    }

    [Test]
    public void SeededRandomSource_SameSeed_SameStream_OtherSeed_Differs()
    {
        using var a = SeededRandomSource.FromLabel("x");
        using var b = SeededRandomSource.FromLabel("x");
        using var c = SeededRandomSource.FromLabel("y");
        var (ba, bb, bc) = (new byte[64], new byte[64], new byte[64]);

        a.Fill(ba);
        b.Fill(bb);
        c.Fill(bc);

        Assert.Multiple(() =>
        {
            Assert.That(ba, Is.EqualTo(bb));
            Assert.That(ba, Is.Not.EqualTo(bc));
            Assert.That(() => new SeededRandomSource(new byte[16]), Throws.ArgumentException);
        });
    }
}
