using HospitalFed.Learning.Privacy;

namespace HospitalFed.Learning.Tests.Privacy;

public sealed class NoiseCalibrationTests
{
    [TestCase(1.0, 1e-5)]
    [TestCase(3.0, 1e-6)]
    [TestCase(8.0, 1e-5)]
    public void MaximumRho_Target_ConvertsBackToTheTargetEpsilon(double epsilon, double delta)
    {
        // Act
        var rho = NoiseCalibration.MaximumRho(epsilon, delta);

        // Assert: checked against the brute-force conversion, not the code under test.
        Assert.That(ReferenceDp.ZcdpEpsilon(rho, delta), Is.EqualTo(epsilon).Within(1e-3 * epsilon));
    }

    [TestCase(1.0, 1e-5, 100)]
    [TestCase(3.0, 1e-5, 50)]
    [TestCase(8.0, 1e-6, 1000)]
    public void GaussianNoiseMultiplier_Target_IsTheSmallestMultiplierThatFits(double epsilon, double delta, int rounds)
    {
        // Act
        var multiplier = NoiseCalibration.GaussianNoiseMultiplier(epsilon, delta, rounds);

        // Assert: R rounds of rho = 1 / (2 z^2) meet the target, and 0.1% less noise does not.
        Assert.Multiple(() =>
        {
            Assert.That(ZcdpConversion.Epsilon(rounds / (2 * multiplier * multiplier), delta), Is.LessThanOrEqualTo(epsilon));
            var less = multiplier * 0.999;
            Assert.That(ReferenceDp.ZcdpEpsilon(rounds / (2 * less * less), delta), Is.GreaterThan(epsilon));
        });
    }

    [Test]
    public void GaussianNoiseMultiplier_OneRound_NeedsSomewhatMoreNoiseThanTheExactGaussian()
    {
        // Arrange: the analytic Gaussian's sigma for (1, 1e-5) and sensitivity 1 (Balle and Wang 2018),
        // found in the test by bisection over the exact privacy profile.
        double low = 0.1, high = 100;
        for (var i = 0; i < 100; i++)
        {
            var middle = (low + high) / 2;
            if (ReferenceDp.GaussianDelta(1.0, middle, 1) > 1e-5)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        // Act
        var multiplier = NoiseCalibration.GaussianNoiseMultiplier(1.0, 1e-5, rounds: 1);

        // Assert: the zCDP route is valid (never less noise than the exact need) and not wasteful.
        Assert.Multiple(() =>
        {
            Assert.That(multiplier, Is.GreaterThanOrEqualTo(high));
            Assert.That(multiplier, Is.LessThanOrEqualTo(1.15 * high));
        });
    }

    [Test]
    public void DiscreteGaussianSigma_WideShares_MatchesTheGaussianMultiplier()
    {
        // Arrange: with tau negligible and k = m, the discrete mechanism costs D^2 / (2 sigma^2) a round.
        const double sensitivity = 1000;
        var multiplier = NoiseCalibration.GaussianNoiseMultiplier(3.0, 1e-5, 100);

        // Act
        var sigma = NoiseCalibration.DiscreteGaussianSigma(sensitivity, 5, 5, 1 << 16, 3.0, 1e-5, 100);

        // Assert
        Assert.That(sigma, Is.EqualTo(multiplier * sensitivity).Within(1e-6 * sigma));
    }

    [Test]
    public void DiscreteGaussianSigma_Result_FitsAndOnePartInABillionLessDoesNot()
    {
        // Arrange: small sensitivity so that tau matters near the answer.
        const int rounds = 20;
        var total = NoiseCalibration.MaximumRho(2.0, 1e-5);

        // Act
        var sigma = NoiseCalibration.DiscreteGaussianSigma(2, 8, 10, 1 << 20, 2.0, 1e-5, rounds);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(rounds * new DistributedDiscreteGaussian(2, sigma, 8, 1 << 20).RoundRho(10), Is.LessThanOrEqualTo(total));
            Assert.That(rounds * new DistributedDiscreteGaussian(2, sigma * (1 - 1e-9), 8, 1 << 20).RoundRho(10), Is.GreaterThan(total));
        });
    }

    [Test]
    public void DiscreteGaussianSigma_GenerousTarget_IsTheSmallestSigmaTheMechanismAccepts()
    {
        // Act: epsilon 100 over one round with sensitivity 1 needs almost no noise.
        var sigma = NoiseCalibration.DiscreteGaussianSigma(1, 3, 3, 16, 100, 1e-5, 1);

        // Assert: a share scale of exactly 1/2 (rounded up), which the mechanism accepts.
        Assert.Multiple(() =>
        {
            Assert.That(sigma, Is.EqualTo(0.5 * Math.Sqrt(3)).Within(1e-15));
            Assert.That(new DistributedDiscreteGaussian(1, sigma, 3, 16).ShareSigma, Is.GreaterThanOrEqualTo(0.5));
        });
    }

    [Test]
    public void DiscreteGaussianSigma_ContributorsBelowMinimum_ThrowsNamingIt()
    {
        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NoiseCalibration.DiscreteGaussianSigma(1, 5, 4, 10, 1, 1e-5, 1));
        Assert.That(error!.ParamName, Is.EqualTo("contributors"));
    }

    [Test]
    public void GaussianNoiseMultiplier_ZeroRounds_ThrowsNamingIt()
    {
        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NoiseCalibration.GaussianNoiseMultiplier(1, 1e-5, 0));
        Assert.That(error!.ParamName, Is.EqualTo("rounds"));
    }
}
