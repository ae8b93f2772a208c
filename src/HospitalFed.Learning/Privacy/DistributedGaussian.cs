using HospitalFed.Learning.Privacy.Internal;

namespace HospitalFed.Learning.Privacy;

/// <summary>
/// The per-round privacy of the continuous Gaussian mechanism split across sites, for CKKS plans:
/// every contributing site adds an independent Gaussian share N(0, sigma^2 / minContributors) to
/// its update before encryption, so that <see cref="MinimumContributors"/> shares sum to
/// N(0, sigma^2). A Gaussian of variance v is rho-zCDP with <c>rho = D^2 / (2 v)</c> (Bun and
/// Steinke, TCC 2016, Proposition 1.6); with k contributors v = k sigma^2 / minContributors.
/// </summary>
/// <remarks>
/// Dropouts: a round with fewer than <see cref="MinimumContributors"/> contributors carries less
/// noise than promised, so <see cref="RoundRho"/> refuses it (throws) rather than charging it.
/// More contributors are charged with their true, smaller cost.
/// </remarks>
public sealed record DistributedGaussian
{
    /// <summary>Creates the mechanism description and checks every parameter.</summary>
    /// <param name="l2Sensitivity">L2 sensitivity of the summed update, greater than 0.</param>
    /// <param name="sigma">Standard deviation of the central noise that <paramref name="minimumContributors"/> shares add up to, greater than 0.</param>
    /// <param name="minimumContributors">The number of sites whose shares together reach sigma, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public DistributedGaussian(double l2Sensitivity, double sigma, int minimumContributors)
    {
        PrivacyArguments.Positive(l2Sensitivity, nameof(l2Sensitivity));
        PrivacyArguments.Positive(sigma, nameof(sigma));
        PrivacyArguments.AtLeast(minimumContributors, 1, nameof(minimumContributors));
        L2Sensitivity = l2Sensitivity;
        Sigma = sigma;
        MinimumContributors = minimumContributors;
    }

    /// <summary>L2 sensitivity of the summed update.</summary>
    public double L2Sensitivity { get; }

    /// <summary>Standard deviation of the central noise reached by <see cref="MinimumContributors"/> shares.</summary>
    public double Sigma { get; }

    /// <summary>The number of sites whose shares together reach <see cref="Sigma"/>.</summary>
    public int MinimumContributors { get; }

    /// <summary>Each site's Gaussian standard deviation: sigma / sqrt(minimumContributors).</summary>
    public double ShareSigma => Sigma / Math.Sqrt(MinimumContributors);

    /// <summary>The noise multiplier sigma / L2 sensitivity at the minimum number of contributors.</summary>
    public double NoiseMultiplier => Sigma / L2Sensitivity;

    /// <summary>The zCDP cost of one round whose sum holds <paramref name="contributors"/> shares.</summary>
    /// <param name="contributors">Sites whose shares are in the released sum.</param>
    /// <returns>rho for this round; rounds compose by adding their rho.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contributors"/> is below <see cref="MinimumContributors"/>: the sum would carry less noise than promised.</exception>
    public double RoundRho(int contributors)
    {
        MechanismRules.RequireContributors(contributors, MinimumContributors);
        var variance = contributors * ShareSigma * ShareSigma;
        return L2Sensitivity * L2Sensitivity / (2 * variance);
    }
}
