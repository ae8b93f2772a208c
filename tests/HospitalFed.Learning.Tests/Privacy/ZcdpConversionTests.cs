using HospitalFed.Learning.Privacy;

namespace HospitalFed.Learning.Tests.Privacy;

public sealed class ZcdpConversionTests
{
    // The bar: accountant figures match independent references to 1e-3 relative.
    private const double Relative = 1e-3;

    [Test]
    public void Epsilon_GaussianSigmaOneOneRound_IsAValidBoundCloseToTheExactCurve()
    {
        // Arrange: the classic figure, sigma = 1, sensitivity 1, one round, delta = 1e-5.
        // The Gaussian is exactly rho-zCDP with rho = 1 / (2 sigma^2) = 0.5.
        var exact = ReferenceDp.GaussianEpsilon(1e-5, sigma: 1, sensitivity: 1);
        var reference = ReferenceDp.ZcdpEpsilon(0.5, 1e-5);

        // Act
        var epsilon = ZcdpConversion.Epsilon(0.5, 1e-5);

        // Assert: never below the exact privacy profile (that would be an invalid claim), and no
        // more than 15% above it (the CKS conversion is near-tight for a single Gaussian).
        Assert.Multiple(() =>
        {
            Assert.That(epsilon, Is.GreaterThanOrEqualTo(exact));
            Assert.That(epsilon, Is.LessThanOrEqualTo(1.15 * exact));
            Assert.That(epsilon, Is.EqualTo(reference).Within(Relative * reference));
        });
    }

    [TestCase(1.0, 1, 1e-5)]
    [TestCase(4.0, 100, 1e-5)]
    [TestCase(10.0, 1000, 1e-6)]
    [TestCase(0.7, 1, 1e-3)]
    [TestCase(300.0, 1, 1e-9)]
    [TestCase(0.3, 50, 1e-5)]
    public void Epsilon_GaussianComposedOverRounds_MatchesBruteForceOverOrders(double noiseMultiplier, int rounds, double delta)
    {
        // Arrange: RDP of the Gaussian is alpha / (2 z^2) per round, so R rounds are rho = R / (2 z^2).
        var rho = rounds / (2 * noiseMultiplier * noiseMultiplier);
        var expected = ReferenceDp.ZcdpEpsilon(rho, delta);

        // Act
        var epsilon = ZcdpConversion.Epsilon(rho, delta);

        // Assert
        Assert.That(epsilon, Is.EqualTo(expected).Within(Relative * expected));
    }

    [TestCase(0.5, 1e-5)]
    [TestCase(0.02, 1e-6)]
    [TestCase(3.125, 1e-5)]
    [TestCase(1e-5, 1e-9)]
    public void Epsilon_AnyRho_IsNoLooserThanBunSteinke(double rho, double delta)
    {
        // Act
        var epsilon = ZcdpConversion.Epsilon(rho, delta);

        // Assert: Bun and Steinke (TCC 2016), Proposition 1.3: rho + 2 sqrt(rho ln(1/delta)).
        Assert.That(epsilon, Is.LessThan(rho + (2 * Math.Sqrt(rho * Math.Log(1 / delta)))));
    }

    [TestCase(1.0, 1.0, 4.0)]
    [TestCase(2.0, 1.0, 1.0)]
    [TestCase(0.5, 1.0, 8.0)]
    [TestCase(5.0, 2.0, 0.5)]
    public void Delta_Gaussian_IsAValidBoundMatchingBruteForce(double sigma, double sensitivity, double epsilon)
    {
        // Arrange
        var rho = sensitivity * sensitivity / (2 * sigma * sigma);
        var exact = ReferenceDp.GaussianDelta(epsilon, sigma, sensitivity);
        var expected = ReferenceDp.ZcdpDelta(rho, epsilon);

        // Act
        var delta = ZcdpConversion.Delta(rho, epsilon);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(delta, Is.GreaterThanOrEqualTo(exact));
            Assert.That(delta, Is.EqualTo(expected).Within(Relative * expected));
        });
    }

    [Test]
    public void Epsilon_ZeroRho_IsZero()
    {
        // Act / Assert
        Assert.That(ZcdpConversion.Epsilon(0, 1e-5), Is.Zero);
    }

    [Test]
    public void Epsilon_LargerRho_IsLarger()
    {
        // Act / Assert
        Assert.That(ZcdpConversion.Epsilon(0.51, 1e-5), Is.GreaterThan(ZcdpConversion.Epsilon(0.5, 1e-5)));
    }

    [TestCase(-0.1, 1e-5, "rho")]
    [TestCase(double.NaN, 1e-5, "rho")]
    [TestCase(double.PositiveInfinity, 1e-5, "rho")]
    [TestCase(0.5, 0.0, "delta")]
    [TestCase(0.5, 1.0, "delta")]
    [TestCase(0.5, double.NaN, "delta")]
    public void Epsilon_BadArgument_ThrowsNamingIt(double rho, double delta, string name)
    {
        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ZcdpConversion.Epsilon(rho, delta));
        Assert.That(error!.ParamName, Is.EqualTo(name));
    }

    [Test]
    public void Delta_NegativeEpsilon_ThrowsNamingIt()
    {
        // Act / Assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ZcdpConversion.Delta(0.5, -1));
        Assert.That(error!.ParamName, Is.EqualTo("epsilon"));
    }
}
