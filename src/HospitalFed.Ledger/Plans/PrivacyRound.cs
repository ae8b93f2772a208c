using HospitalFed.Crypto.Privacy;
using Accountant = HospitalFed.Learning.Privacy.DistributedDiscreteGaussian;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// One training round's distributed discrete Gaussian mechanism, as <see cref="PlanPrivacy.Round"/>
/// derives it: the same at every site, the aggregator and the auditor.
/// </summary>
/// <param name="Dimension">d: the update's coordinates.</param>
/// <param name="PaddedDimension">d': d rounded up to a power of two (the rotation's size; every site uploads d' words).</param>
/// <param name="Participants">The sites invited to the round (the overflow bound is sized for all of them contributing).</param>
/// <param name="Scale">gamma: a power of two; rotated values are multiplied by it before rounding.</param>
/// <param name="NormBound">Delta: the L2 bound of every site's conditionally rounded integer vector.</param>
/// <param name="Sigma">sigma = z x 2 Delta: the central noise scale that <paramref name="MinContributors"/> shares add up to.</param>
/// <param name="MinContributors">m: each share is N_Z(0, sigma^2 / m).</param>
/// <param name="ClipNorm">c: each site's L2 clip norm.</param>
public sealed record PrivacyRound(int Dimension, int PaddedDimension, int Participants, double Scale, double NormBound, double Sigma, int MinContributors, double ClipNorm)
{
    /// <summary>2 Delta: replacing one site's contribution moves the integer sum by at most this (L2).</summary>
    public double L2Sensitivity => 2 * NormBound;

    /// <summary>The round's zCDP cost with <paramref name="contributors"/> contributors (Kairouz et al. 2021, Theorem 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer contributors than <see cref="MinContributors"/>: the sum would carry less noise than approved and must not be released.</exception>
    public double RoundRho(int contributors) => new Accountant(L2Sensitivity, Sigma, MinContributors, PaddedDimension).RoundRho(contributors);

    /// <summary>The site and aggregator mechanism for this round, with the round's public rotation seed (<see cref="PlanPrivacy.RotationSeed"/>).</summary>
    public DistributedDiscreteGaussianParameters MechanismParameters(ReadOnlyMemory<byte> rotationSeed) =>
        DistributedDiscreteGaussianParameters.WithVariance(Dimension, ClipNorm, Scale, PlanPrivacy.Beta, Sigma * Sigma, MinContributors, rotationSeed);

    /// <summary>
    /// The mechanism of round <paramref name="round"/> of plan <paramref name="planId"/>: every site
    /// encodes with it and the aggregator decodes the secure sum with it (the rotation is the
    /// round's public one, <see cref="PlanPrivacy.RotationSeed"/>).
    /// </summary>
    public DistributedDiscreteGaussian Mechanism(string planId, long round) =>
        new(MechanismParameters(PlanPrivacy.RotationSeed(planId, round)));
}
