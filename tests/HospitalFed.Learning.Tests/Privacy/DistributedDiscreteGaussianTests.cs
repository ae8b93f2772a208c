using HospitalFed.Learning.Privacy;

namespace HospitalFed.Learning.Tests.Privacy;

public sealed class DistributedDiscreteGaussianTests
{
    [Test]
    public void RoundRho_OneSite_IsTheDiscreteGaussiansRho()
    {
        // Arrange: one share is a single discrete Gaussian, D^2 / (2 sigma^2)-zCDP (CKS 2020, Thm 14).
        var mechanism = new DistributedDiscreteGaussian(l2Sensitivity: 3, sigma: 7, minimumContributors: 1, dimension: 1000);

        // Act / Assert
        Assert.That(mechanism.RoundRho(1), Is.EqualTo(9.0 / (2 * 49)).Within(1e-15));
    }

    [Test]
    public void RoundRho_TwoSmallSharesOneCoordinate_MatchesTheoremOneByHand()
    {
        // Arrange: share scale 1/2 (sigma = sqrt(2) / 2, two sites), D = 1, d = 1.
        // tau = 10 exp(-2 pi^2 (1/4) (1/2)) = 10 exp(-pi^2 / 4); D^2 / (k s^2) = 1 / (2 / 4) = 2.
        // Squares branch: (2 + 2 tau) / 2 = 1 + tau; norm branch: (sqrt 2 + tau)^2 / 2 is larger.
        var mechanism = new DistributedDiscreteGaussian(1, Math.Sqrt(2) / 2, minimumContributors: 2, dimension: 1);
        var tau = 10 * Math.Exp(-Math.PI * Math.PI / 4);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(mechanism.Tau(2), Is.EqualTo(tau).Within(1e-12));
            Assert.That(mechanism.RoundRho(2), Is.EqualTo(1 + tau).Within(1e-12));
        });
    }

    [Test]
    public void RoundRho_ManyCoordinates_TakesTheNormBranchWhenSmaller()
    {
        // Arrange: as above with d = 10^6: 2 tau d = 1.7e6 exceeds (sqrt 2 + 1000 tau)^2 = 7.2e5.
        var mechanism = new DistributedDiscreteGaussian(1, Math.Sqrt(2) / 2, minimumContributors: 2, dimension: 1_000_000);
        var tau = 10 * Math.Exp(-Math.PI * Math.PI / 4);
        var expected = Math.Pow(Math.Sqrt(2) + (1000 * tau), 2) / 2;

        // Act / Assert
        Assert.That(mechanism.RoundRho(2), Is.EqualTo(expected).Within(1e-9 * expected));
    }

    [Test]
    public void RoundRho_WideShares_ApproachesTheGaussianOfTheSummedVariance()
    {
        // Arrange: shares of scale 20 make tau about 10^-3400, so rho is D^2 / (2 k s^2).
        var mechanism = new DistributedDiscreteGaussian(l2Sensitivity: 50, sigma: 40, minimumContributors: 4, dimension: 1 << 20);

        // Act / Assert: 6 contributors, each of variance 40^2 / 4 = 400.
        Assert.That(mechanism.RoundRho(6), Is.EqualTo(2500.0 / (2 * 6 * 400)).Within(1e-12));
    }

    [Test]
    public void RoundRho_MoreContributorsThanMinimum_CostsLess()
    {
        // Arrange
        var mechanism = new DistributedDiscreteGaussian(10, 30, minimumContributors: 3, dimension: 4096);

        // Act / Assert
        Assert.That(mechanism.RoundRho(5), Is.LessThan(mechanism.RoundRho(3)));
    }

    [Test]
    public void RoundRho_FewerContributorsThanMinimum_IsRefused()
    {
        // Arrange: the shares were sized for 5 sites; only 4 contributed, so the sum has 4/5 of the noise.
        var mechanism = new DistributedDiscreteGaussian(10, 30, minimumContributors: 5, dimension: 4096);

        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => mechanism.RoundRho(4));
        Assert.Multiple(() =>
        {
            Assert.That(error!.ParamName, Is.EqualTo("contributors"));
            Assert.That(error.Message, Does.Contain("4 contributors is below the minimum of 5"));
        });
    }

    [Test]
    public void Tau_MoreContributors_GrowsFromZeroForOne()
    {
        // Arrange
        var mechanism = new DistributedDiscreteGaussian(1, 1, minimumContributors: 1, dimension: 1);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(mechanism.Tau(1), Is.Zero);
            Assert.That(mechanism.Tau(3), Is.GreaterThan(mechanism.Tau(2)));
        });
    }

    [Test]
    public void Constructor_ShareScaleBelowOneHalf_IsRefused()
    {
        // Act / Assert: sigma 0.9 over 4 sites is a share scale of 0.45.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedDiscreteGaussian(1, 0.9, 4, 10));
        Assert.That(error!.Message, Does.Contain("at least 0.5"));
    }

    [TestCase(0.0, 1.0, 1, 1, "l2Sensitivity")]
    [TestCase(1.0, double.NaN, 1, 1, "sigma")]
    [TestCase(1.0, 1.0, 0, 1, "minimumContributors")]
    [TestCase(1.0, 1.0, 1, 0, "dimension")]
    public void Constructor_BadArgument_ThrowsNamingIt(double sensitivity, double sigma, int minimum, int dimension, string name)
    {
        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedDiscreteGaussian(sensitivity, sigma, minimum, dimension));
        Assert.That(error!.ParamName, Is.EqualTo(name));
    }
}
