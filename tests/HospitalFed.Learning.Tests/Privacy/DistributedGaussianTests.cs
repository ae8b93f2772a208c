using HospitalFed.Learning.Privacy;

namespace HospitalFed.Learning.Tests.Privacy;

public sealed class DistributedGaussianTests
{
    [Test]
    public void RoundRho_MinimumContributors_IsDeltaSquaredOverTwoSigmaSquared()
    {
        // Arrange
        var mechanism = new DistributedGaussian(l2Sensitivity: 2, sigma: 5, minimumContributors: 3);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(mechanism.RoundRho(3), Is.EqualTo(4.0 / 50).Within(1e-15));
            Assert.That(mechanism.NoiseMultiplier, Is.EqualTo(2.5));
            Assert.That(mechanism.ShareSigma, Is.EqualTo(5 / Math.Sqrt(3)).Within(1e-15));
        });
    }

    [Test]
    public void RoundRho_MoreContributors_ChargesTheirLargerSummedVariance()
    {
        // Arrange: 6 shares of variance 25 / 3 sum to variance 50.
        var mechanism = new DistributedGaussian(2, 5, minimumContributors: 3);

        // Act / Assert
        Assert.That(mechanism.RoundRho(6), Is.EqualTo(4.0 / 100).Within(1e-15));
    }

    [Test]
    public void RoundRho_FewerContributorsThanMinimum_IsRefused()
    {
        // Arrange
        var mechanism = new DistributedGaussian(2, 5, minimumContributors: 3);

        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => mechanism.RoundRho(2));
        Assert.That(error!.ParamName, Is.EqualTo("contributors"));
    }

    [Test]
    public void Constructor_NonPositiveSigma_ThrowsNamingIt()
    {
        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedGaussian(1, 0, 1));
        Assert.That(error!.ParamName, Is.EqualTo("sigma"));
    }
}
