using HospitalFed.Learning.Privacy;

namespace HospitalFed.Learning.Tests.Privacy;

/// <summary>
/// The conversion against another accountant's published output: OpenDP implements the same
/// Canonne-Kamath-Steinke conversion (bisection on the derivative, a different method from ours)
/// and pins these figures in its own tests, copied here as data:
/// opendp/opendp rust/src/measures/zcdp/test.rs (test_zcdp_delta_rounding_regression,
/// test_edge_cases) and python/test/test_meas.py (test_gaussian_curve: a Gaussian of scale 4 and
/// sensitivity 1, so rho = (1/4)^2 / 2).
/// </summary>
public sealed class PublishedFiguresTests
{
    private const double Relative = 1e-3;

    [Test]
    public void Epsilon_OpenDpGaussianScaleFour_MatchesPublishedFigure()
    {
        // Act
        var epsilon = ZcdpConversion.Epsilon(0.03125, 1e-3);

        // Assert
        Assert.That(epsilon, Is.EqualTo(0.6880024554878085).Within(Relative * 0.6880024554878085));
    }

    [TestCase(0.03125, 0.0, 0.1508457845622862)]
    [TestCase(0.5, 0.0, 0.5588356393474351)]
    [TestCase(0.05, 0.25, 8.17727531036956e-2)]
    [TestCase(5e-30, 1e-13, 2.619676329730346e-234)]
    public void Delta_OpenDpFigures_MatchPublishedValues(double rho, double epsilon, double expected)
    {
        // Act
        var delta = ZcdpConversion.Delta(rho, epsilon);

        // Assert
        Assert.That(delta, Is.EqualTo(expected).Within(Relative * expected));
    }

    [Test]
    public void Epsilon_AtTheDeltaOfEpsilonZero_IsZero()
    {
        // Act: OpenDP's test_edge_cases: cdp_epsilon(0.5, zcdp_delta(0.5, 0)) == 0.
        var epsilon = ZcdpConversion.Epsilon(0.5, 0.5588356393474351);

        // Assert
        Assert.That(epsilon, Is.EqualTo(0).Within(1e-6));
    }
}
