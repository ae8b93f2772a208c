using HospitalFed.Learning.Privacy.Internal;

namespace HospitalFed.Learning.Privacy;

/// <summary>
/// The per-round privacy of the distributed discrete Gaussian mechanism with secure aggregation
/// (Kairouz, Liu and Steinke, ICML 2021, Theorem 1 and Proposition 14 / Eq. 17): every
/// contributing site adds an independent discrete Gaussian share N_Z(0, sigma^2 / minContributors)
/// to each of the <see cref="Dimension"/> integer coordinates of its rounded update, and only the
/// sum of the shares is ever revealed. Everything is in the integer domain, after scaling and
/// conditional randomised rounding: <see cref="L2Sensitivity"/> bounds the L2 norm of the
/// difference one record makes to the sum of the integer vectors.
/// </summary>
/// <remarks>
/// <para>
/// With k contributors, each share of scale s = sigma / sqrt(minContributors), the sum is
/// rho-zCDP with <c>rho = min(D^2 / (k s^2) + 2 tau d, (D / (sqrt(k) s) + tau sqrt(d))^2) / 2</c>,
/// where <c>tau = 10 * sum_{j=1}^{k-1} exp(-2 pi^2 s^2 j / (j + 1))</c> measures how far a sum of
/// discrete Gaussians is from a discrete Gaussian. The paper's extra L1-sensitivity term is left
/// out: dropping one argument of a minimum keeps the bound valid and only forgoes tightness.
/// For k = 1, tau is 0 and rho is the discrete Gaussian's D^2 / (2 s^2) (Canonne, Kamath and
/// Steinke, NeurIPS 2020, Theorem 14).
/// </para>
/// <para>
/// Dropouts: the shares are sized so that <see cref="MinimumContributors"/> sites together add
/// variance sigma^2. Fewer contributors would add less noise than the plan promised, so
/// <see cref="RoundRho"/> refuses such a round (throws) rather than charging it; the aggregator
/// must not release that sum. More contributors add more noise and are charged with their true
/// count, which includes their larger tau.
/// </para>
/// </remarks>
public sealed record DistributedDiscreteGaussian
{
    /// <summary>Creates the mechanism description and checks every parameter.</summary>
    /// <param name="l2Sensitivity">L2 sensitivity of the summed integer vector (after rounding), greater than 0.</param>
    /// <param name="sigma">Standard deviation parameter of the central noise that <paramref name="minimumContributors"/> shares add up to, greater than 0.</param>
    /// <param name="minimumContributors">The number of sites whose shares together reach sigma, at least 1.</param>
    /// <param name="dimension">Number of noised integer coordinates (after padding for the rotation), at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or a share's scale is below 1/2 (Theorem 1 needs it at least 1/2).</exception>
    public DistributedDiscreteGaussian(double l2Sensitivity, double sigma, int minimumContributors, int dimension)
    {
        PrivacyArguments.Positive(l2Sensitivity, nameof(l2Sensitivity));
        PrivacyArguments.Positive(sigma, nameof(sigma));
        PrivacyArguments.AtLeast(minimumContributors, 1, nameof(minimumContributors));
        PrivacyArguments.AtLeast(dimension, 1, nameof(dimension));
        var shareSigma = sigma / Math.Sqrt(minimumContributors);
        if (shareSigma < 0.5)
        {
            throw new ArgumentOutOfRangeException(
                nameof(sigma),
                sigma,
                $"Each site's share scale sigma / sqrt(minimumContributors) = {shareSigma} must be at least 0.5 (Kairouz et al. 2021, Theorem 1).");
        }

        L2Sensitivity = l2Sensitivity;
        Sigma = sigma;
        MinimumContributors = minimumContributors;
        Dimension = dimension;
    }

    /// <summary>L2 sensitivity of the summed integer vector.</summary>
    public double L2Sensitivity { get; }

    /// <summary>Standard deviation parameter of the central noise reached by <see cref="MinimumContributors"/> shares.</summary>
    public double Sigma { get; }

    /// <summary>The number of sites whose shares together reach <see cref="Sigma"/>.</summary>
    public int MinimumContributors { get; }

    /// <summary>Number of noised integer coordinates.</summary>
    public int Dimension { get; }

    /// <summary>Each site's discrete Gaussian scale: sigma / sqrt(minimumContributors).</summary>
    public double ShareSigma => Sigma / Math.Sqrt(MinimumContributors);

    /// <summary>The paper's tau for a sum of <paramref name="contributors"/> shares (0 for one share).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contributors"/> is below 1.</exception>
    public double Tau(int contributors)
    {
        PrivacyArguments.AtLeast(contributors, 1, nameof(contributors));
        var exponent = -2 * Math.PI * Math.PI * ShareSigma * ShareSigma;
        var sum = 0.0;
        for (var j = 1; j < contributors; j++)
        {
            sum += Math.Exp(exponent * j / (j + 1));
        }

        return 10 * sum;
    }

    /// <summary>The zCDP cost of one round whose sum holds <paramref name="contributors"/> shares.</summary>
    /// <param name="contributors">Sites whose shares are in the released sum.</param>
    /// <returns>rho for this round; rounds compose by adding their rho.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contributors"/> is below <see cref="MinimumContributors"/>: the sum would carry less noise than promised.</exception>
    public double RoundRho(int contributors)
    {
        MechanismRules.RequireContributors(contributors, MinimumContributors);
        var tau = Tau(contributors);
        var scaled = L2Sensitivity / (Math.Sqrt(contributors) * ShareSigma);
        var viaSquares = (scaled * scaled) + (2 * tau * Dimension);
        var viaNorm = scaled + (tau * Math.Sqrt(Dimension));
        return Math.Min(viaSquares, viaNorm * viaNorm) / 2;
    }
}
