using System.Numerics;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy;

namespace HospitalFed.Crypto.Tests.Privacy;

public sealed class DiscreteGaussianSamplerTests
{
    private const int Samples = 200_000;

    [TestCase(0.5)]
    [TestCase(3.0)]
    [TestCase(50.5)]
    public void Sample_FixedSeed_MeanZeroAndVarianceMatchExactPmf(double sigma)
    {
        // Arrange
        using var random = SeededRandomSource.FromLabel($"dgauss-moments-{sigma}");
        using var sampler = DiscreteGaussianSampler.FromVariance(sigma * sigma, random);
        var pmf = new DiscreteGaussianPmf(sigma * sigma);
        var values = new int[Samples];

        // Act
        sampler.Fill(values);

        // Assert: both within 5 standard errors; the pmf's variance is at most sigma^2 (CKS Cor. 9)
        // and, for sigma >= 1, within 1e-6 of it
        var mean = values.Average();
        var variance = values.Select(x => (double)x * x).Average();
        var meanError = 5 * Math.Sqrt(pmf.Variance / Samples);
        var varianceError = 5 * Math.Sqrt((pmf.FourthMoment - (pmf.Variance * pmf.Variance)) / Samples);
        Assert.Multiple(() =>
        {
            Assert.That(mean, Is.EqualTo(0).Within(meanError));
            Assert.That(variance, Is.EqualTo(pmf.Variance).Within(varianceError));
            Assert.That(pmf.Variance, Is.LessThanOrEqualTo(sigma * sigma));
        });
    }

    [TestCase(0.5)]
    [TestCase(3.0)]
    [TestCase(50.5)]
    public void Sample_FixedSeed_PassesChiSquareAgainstExactPmfAtOnePerMille(double sigma)
    {
        // Arrange
        using var random = SeededRandomSource.FromLabel($"dgauss-chi2-{sigma}");
        using var sampler = DiscreteGaussianSampler.FromVariance(sigma * sigma, random);
        var pmf = new DiscreteGaussianPmf(sigma * sigma);

        // Act
        var counts = new Dictionary<long, int>();
        for (var i = 0; i < Samples; i++)
        {
            var x = sampler.Sample();
            counts[x] = counts.GetValueOrDefault(x) + 1;
        }

        // Assert
        var (statistic, degrees) = ChiSquare.Statistic(counts, pmf, Samples);
        Assert.That(statistic, Is.LessThan(ChiSquare.CriticalValueAtOnePerMille(degrees)), $"chi-square with {degrees} degrees of freedom");
    }

    [Test]
    public void Sample_VarianceWithHugeDenominator_UsesExactBigIntegerPathAndMatchesPmf()
    {
        // Arrange: 0.1 is 3602879701896397 / 2^55 exactly, beyond the fixed-width paths' limits
        using var random = SeededRandomSource.FromLabel("dgauss-big");
        using var sampler = DiscreteGaussianSampler.FromVariance(0.1, random);
        var pmf = new DiscreteGaussianPmf(0.1);
        const int count = 20_000;

        // Act
        var zeros = 0;
        for (var i = 0; i < count; i++)
        {
            zeros += sampler.Sample() == 0 ? 1 : 0;
        }

        // Assert
        var p = pmf[0];
        Assert.That(zeros / (double)count, Is.EqualTo(p).Within(5 * Math.Sqrt(p * (1 - p) / count)));
    }

    [Test]
    public void Sample_RationalVarianceNeedingInt128_MomentsMatchPmf()
    {
        // Arrange: 12345678901 / 1000003, whose acceptance denominator 2 n d t^2 is about 2^68
        using var random = SeededRandomSource.FromLabel("dgauss-int128");
        using var sampler = new DiscreteGaussianSampler(12_345_678_901, 1_000_003, random);
        var variance = 12_345_678_901.0 / 1_000_003;
        var pmf = new DiscreteGaussianPmf(variance);
        var values = new int[Samples];

        // Act
        sampler.Fill(values);

        // Assert
        var meanSquare = values.Select(x => (double)x * x).Average();
        var error = 5 * Math.Sqrt((pmf.FourthMoment - (pmf.Variance * pmf.Variance)) / Samples);
        Assert.Multiple(() =>
        {
            Assert.That(values.Average(), Is.EqualTo(0).Within(5 * Math.Sqrt(variance / Samples)));
            Assert.That(meanSquare, Is.EqualTo(pmf.Variance).Within(error));
        });
    }

    [TestCase(1, 4)]
    [TestCase(1, 1)]
    [TestCase(5, 2)]
    [TestCase(7, 3)]
    public void SampleBernoulliExp_FixedSeed_FrequencyIsExpMinusGamma(int numerator, int denominator)
    {
        // Arrange
        using var random = SeededRandomSource.FromLabel($"bernoulli-exp-{numerator}/{denominator}");
        using var sampler = DiscreteGaussianSampler.FromVariance(1.0, random);
        const int count = 100_000;

        // Act
        var ones = 0;
        for (var i = 0; i < count; i++)
        {
            ones += sampler.SampleBernoulliExp(numerator, denominator) ? 1 : 0;
        }

        // Assert
        var p = Math.Exp(-(double)numerator / denominator);
        Assert.That(ones / (double)count, Is.EqualTo(p).Within(5 * Math.Sqrt(p * (1 - p) / count)));
    }

    [Test]
    public void SampleBernoulliExp_GammaZero_AlwaysOne()
    {
        using var random = SeededRandomSource.FromLabel("bernoulli-zero");
        using var sampler = DiscreteGaussianSampler.FromVariance(1.0, random);

        Assert.That(Enumerable.Range(0, 1000).All(_ => sampler.SampleBernoulliExp(0, 7)), Is.True);
    }

    [TestCase(2550.25, "10201", "4")]
    [TestCase(0.1, "3602879701896397", "36028797018963968")]
    [TestCase(9.0, "9", "1")]
    public void ExactRational_Double_IsItsExactBinaryValue(double value, string numerator, string denominator)
    {
        var (n, d) = DiscreteGaussianSampler.ExactRational(value);

        Assert.That((n, d), Is.EqualTo((BigInteger.Parse(numerator), BigInteger.Parse(denominator))));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void FromVariance_NotFinitePositive_ThrowsNamingTheVariance(double variance)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DiscreteGaussianSampler.FromVariance(variance));

        Assert.That(error!.Message, Does.Contain("variance"));
    }

    [Test]
    public void AddTo_Words_AddsTheSameSamplesInTwosComplement()
    {
        // Arrange: two samplers on the same seed draw the same sequence
        using var first = SeededRandomSource.FromLabel("dgauss-add");
        using var second = SeededRandomSource.FromLabel("dgauss-add");
        using var signed = DiscreteGaussianSampler.FromVariance(9.0, first);
        using var ring = DiscreteGaussianSampler.FromVariance(9.0, second);
        var expected = new int[1000];
        var words = Enumerable.Repeat(5u, 1000).ToArray();

        // Act
        signed.Fill(expected);
        ring.AddTo(words);

        // Assert
        Assert.That(words, Is.EqualTo(expected.Select(x => unchecked((uint)(x + 5))).ToArray()));
    }

    [Test]
    public void Sample_AfterDispose_Throws()
    {
        var sampler = DiscreteGaussianSampler.FromVariance(1.0);
        sampler.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sampler.Sample());
    }
}
