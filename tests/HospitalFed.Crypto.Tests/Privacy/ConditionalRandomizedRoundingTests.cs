using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy;

namespace HospitalFed.Crypto.Tests.Privacy;

public sealed class ConditionalRandomizedRoundingTests
{
    [Test]
    public void NormBoundSquared_KnownParameters_MatchesTheFormulaWrittenOut()
    {
        // c = 1, gamma = 10, d = 100, beta = e^-0.5: c' = 10, sqrt(2 ln(1/beta)) = 1
        // min(100 + 25 + 1 * (10 + 5), (10 + 10)^2) = min(140, 400) = 140
        var rounding = new ConditionalRandomizedRounding(100, 1.0, 10.0, Math.Exp(-0.5));

        Assert.That(rounding.NormBoundSquared, Is.EqualTo(140).Within(1e-9));
    }

    [Test]
    public void Round_ManyDraws_IsUnbiasedPerCoordinate()
    {
        // Arrange
        const int dimension = 32;
        const int draws = 20_000;
        var random = new Random(11);
        var x = Enumerable.Range(0, dimension).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var norm = Math.Sqrt(x.Sum(v => v * v));
        x = x.Select(v => v / norm * 0.9).ToArray();
        var rounding = new ConditionalRandomizedRounding(dimension, 1.0, 4.0, Math.Exp(-0.5));
        using var source = SeededRandomSource.FromLabel("rounding-unbiased");
        var sums = new double[dimension];
        var rounded = new int[dimension];

        // Act
        for (var i = 0; i < draws; i++)
        {
            rounding.Round(x, rounded, source);
            for (var j = 0; j < dimension; j++)
            {
                sums[j] += rounded[j];
            }
        }

        // Assert: each mean within 5 standard errors (a rounding's variance is at most 1/4)
        var tolerance = 5 * Math.Sqrt(0.25 / draws);
        Assert.That(sums.Select(s => s / draws).ToArray(), Is.EqualTo(x.Select(v => v * 4.0).ToArray()).Within(tolerance));
    }

    [Test]
    public void Round_FractionalPartsOneHalf_RetriesAndAlwaysMeetsTheBound()
    {
        // Arrange: every coordinate halfway between integers maximises the rounding error, so
        // the unconditioned rounding exceeds the bound often (about one time in eight)
        const int dimension = 64;
        var x = Enumerable.Repeat(0.125, dimension).ToArray(); // norm 1, scaled coordinates 2.5
        var rounding = new ConditionalRandomizedRounding(dimension, 1.0, 20.0, 0.5);
        using var source = SeededRandomSource.FromLabel("rounding-bound");
        var rounded = new int[dimension];
        var retried = 0;

        // Act and Assert
        for (var i = 0; i < 2000; i++)
        {
            var attempts = rounding.Round(x, rounded, source);
            retried += attempts > 1 ? 1 : 0;
            var squares = rounded.Sum(v => (long)v * v);
            Assert.That(squares, Is.LessThanOrEqualTo(rounding.NormBoundSquared), $"draw {i}");
        }

        Assert.That(retried, Is.GreaterThan(0), "the bound never forced a retry, so this test proved nothing");
    }

    [Test]
    public void Round_InputAboveClipNorm_ThrowsSayingClipFirst()
    {
        var rounding = new ConditionalRandomizedRounding(2, 1.0, 4.0, 0.5);

        var error = Assert.Throws<ArgumentException>(() => rounding.Round([3.0, 4.0], new int[2]));

        Assert.That(error!.Message, Does.Contain("clip"));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    public void Constructor_BetaOutOfRange_Throws(double beta)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ConditionalRandomizedRounding(4, 1.0, 4.0, beta));
    }
}
