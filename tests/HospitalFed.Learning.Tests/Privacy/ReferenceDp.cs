namespace HospitalFed.Learning.Tests.Privacy;

/// <summary>
/// Independent reference computations for the accountant tests, by methods other than the code
/// under test: the exact privacy profile of the Gaussian mechanism (Balle and Wang, ICML 2018,
/// Theorem 8) with the normal tail integrated numerically, and the zCDP conversion of Canonne,
/// Kamath and Steinke (NeurIPS 2020, Corollary 13) minimised by brute force over a dense grid of
/// orders written out directly in alpha.
/// </summary>
internal static class ReferenceDp
{
    /// <summary>Standard normal CDF, by composite Simpson integration of the density's tail.</summary>
    public static double Phi(double x) => x <= 0 ? UpperTail(-x) : 1 - UpperTail(x);

    /// <summary>The exact delta(epsilon) of the Gaussian mechanism with noise sigma and sensitivity delta2.</summary>
    public static double GaussianDelta(double epsilon, double sigma, double sensitivity)
    {
        var a = sensitivity / (2 * sigma);
        var b = epsilon * sigma / sensitivity;
        return Phi(a - b) - (Math.Exp(epsilon) * Phi(-a - b));
    }

    /// <summary>The exact smallest epsilon of the Gaussian mechanism at <paramref name="delta"/>, by bisection.</summary>
    public static double GaussianEpsilon(double delta, double sigma, double sensitivity)
    {
        double low = 0, high = 1;
        while (GaussianDelta(high, sigma, sensitivity) > delta)
        {
            high *= 2;
        }

        for (var i = 0; i < 100; i++)
        {
            var middle = (low + high) / 2;
            if (GaussianDelta(middle, sigma, sensitivity) > delta)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return high;
    }

    /// <summary>min over alpha of alpha rho + ln(1 - 1/alpha) - (ln delta + ln alpha)/(alpha - 1), on a dense grid.</summary>
    public static double ZcdpEpsilon(double rho, double delta) =>
        GridMinimum(alpha => (alpha * rho) + Math.Log(1 - (1 / alpha)) - ((Math.Log(delta) + Math.Log(alpha)) / (alpha - 1)));

    /// <summary>min over alpha of exp((alpha-1)(alpha rho - eps))/(alpha-1) (1-1/alpha)^alpha, on a dense grid.</summary>
    public static double ZcdpDelta(double rho, double epsilon) =>
        Math.Exp(GridMinimum(alpha =>
            ((alpha - 1) * ((alpha * rho) - epsilon)) - Math.Log(alpha - 1) + (alpha * Math.Log(1 - (1 / alpha)))));

    private static double GridMinimum(Func<double, double> objective)
    {
        // alpha - 1 from 1e-6 to 1e7, 400,000 points evenly spaced in log(alpha - 1).
        const int points = 400_000;
        var best = double.PositiveInfinity;
        for (var i = 0; i <= points; i++)
        {
            var alpha = 1 + Math.Pow(10, -6 + (13.0 * i / points));
            best = Math.Min(best, objective(alpha));
        }

        return best;
    }

    private static double UpperTail(double x)
    {
        // Integral of the standard normal density from x to x + 40, Simpson's rule with step 1e-3.
        const int intervals = 40_000;
        const double width = 40;
        var h = width / intervals;
        var sum = Density(x) + Density(x + width);
        for (var i = 1; i < intervals; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * Density(x + (i * h));
        }

        return sum * h / 3;
    }

    private static double Density(double t) => Math.Exp(-t * t / 2) / Math.Sqrt(2 * Math.PI);
}
