using HospitalFed.Learning.Privacy.Internal;

namespace HospitalFed.Learning.Privacy;

/// <summary>
/// Converts a rho-zCDP guarantee to (epsilon, delta)-DP with the tight conversion of Canonne,
/// Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020),
/// Section 2.3 (Proposition 12, Corollary 13), optimised over the Rényi order alpha &gt; 1 continuously (not
/// over a fixed grid of orders): a mechanism that is rho-zCDP has Rényi divergence at most
/// alpha * rho at every order alpha, and (alpha, alpha * rho)-RDP implies (epsilon, delta)-DP for
/// <c>delta = exp((alpha - 1)(alpha * rho - epsilon)) / (alpha - 1) * (1 - 1/alpha)^alpha</c>,
/// equivalently <c>epsilon = alpha * rho + ln(1 - 1/alpha) - (ln delta + ln alpha) / (alpha - 1)</c>
/// (the same bound as Balle et al., AISTATS 2020, Theorem 21). It is never looser than the
/// classic <c>rho + 2 sqrt(rho ln(1/delta))</c> of Bun and Steinke (TCC 2016).
/// </summary>
public static class ZcdpConversion
{
    /// <summary>The smallest epsilon the conversion gives for <paramref name="rho"/>-zCDP at <paramref name="delta"/>.</summary>
    /// <param name="rho">The zCDP parameter (composed over every round so far); 0 gives epsilon 0.</param>
    /// <param name="delta">The target delta, strictly between 0 and 1.</param>
    /// <returns>Epsilon, at least 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">rho is negative or not finite, or delta is outside (0, 1).</exception>
    public static double Epsilon(double rho, double delta)
    {
        PrivacyArguments.NonNegative(rho, nameof(rho));
        PrivacyArguments.Delta(delta, nameof(delta));
        if (rho == 0)
        {
            return 0;
        }

        var logDelta = Math.Log(delta);
        var epsilon = LogScaleMinimizer.Minimize(x =>
        {
            var (alpha, alphaMinusOne, logAlpha, logOneMinusInverse) = Order(x);
            return (alpha * rho) + logOneMinusInverse - ((logDelta + logAlpha) / alphaMinusOne);
        });
        return Math.Max(epsilon, 0);
    }

    /// <summary>The smallest delta the conversion gives for <paramref name="rho"/>-zCDP at <paramref name="epsilon"/>.</summary>
    /// <param name="rho">The zCDP parameter; 0 gives delta 0.</param>
    /// <param name="epsilon">The target epsilon, at least 0.</param>
    /// <returns>Delta in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">rho or epsilon is negative or not finite.</exception>
    public static double Delta(double rho, double epsilon)
    {
        PrivacyArguments.NonNegative(rho, nameof(rho));
        PrivacyArguments.NonNegative(epsilon, nameof(epsilon));
        if (rho == 0)
        {
            return 0;
        }

        var logDelta = LogScaleMinimizer.Minimize(x =>
        {
            var (alpha, alphaMinusOne, _, logOneMinusInverse) = Order(x);

            // ln of exp((alpha-1)(alpha rho - epsilon)) / (alpha-1) * (1 - 1/alpha)^alpha.
            return (alphaMinusOne * ((alpha * rho) - epsilon)) - x + (alpha * logOneMinusInverse);
        });
        return Math.Min(Math.Exp(logDelta), 1);
    }

    /// <summary>
    /// The order alpha = 1 + e^x with alpha - 1, ln(alpha) and ln(1 - 1/alpha) = -ln(1 + e^-x)
    /// computed directly, so that they keep full precision both for orders just above 1 (where
    /// the conversion divides by alpha - 1) and for orders beyond 2^53 (where 1 - 1/alpha rounds
    /// to 1 and alpha * ln(1 - 1/alpha), about -1, would otherwise come out as 0).
    /// </summary>
    private static (double Alpha, double AlphaMinusOne, double LogAlpha, double LogOneMinusInverse) Order(double x)
    {
        var alphaMinusOne = Math.Exp(x);
        return (1 + alphaMinusOne, alphaMinusOne, LogOnePlus(alphaMinusOne), -LogOnePlus(Math.Exp(-x)));
    }

    /// <summary>ln(1 + u), accurate for tiny u (Goldberg 1991, Theorem 4: the rounding of 1 + u cancels).</summary>
    private static double LogOnePlus(double u)
    {
        var onePlus = 1 + u;
        return onePlus == 1 ? u : Math.Log(onePlus) * u / (onePlus - 1);
    }
}
