using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Site.Rounds;

/// <summary>
/// A site's half of a training round under a plan with differential privacy (docs/privacy.md): the
/// round's distributed discrete Gaussian mechanism (<see cref="PlanPrivacy.Round"/> over the update's
/// dimension and the invited sites, with the round's public rotation seed) clips the unweighted
/// model delta to the plan's L2 norm, rotates, scales and rounds it conditionally, adds this site's
/// noise share and writes the d' words of Z_2^32 that pairwise masking then masks like any input
/// (Kairouz, Liu and Steinke, ICML 2021, Algorithm 1). The aggregator derives the same mechanism to
/// decode the sum. Pure: no I/O.
/// </summary>
public static class PrivateUpdateEncoding
{
    /// <summary>The mechanism of round <paramref name="round"/> of <paramref name="plan"/> for a <paramref name="dimension"/>-coordinate update and <paramref name="invited"/> invited sites.</summary>
    /// <exception cref="ArgumentException">The plan has no privacy section.</exception>
    /// <exception cref="InvalidOperationException">No scale fits the round in 32 bits (the message says why).</exception>
    public static DistributedDiscreteGaussian Mechanism(TrainingPlan plan, long round, int dimension, int invited)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var privacy = plan.Privacy ?? throw new ArgumentException($"plan {plan.Id} has no privacy section", nameof(plan));
        return privacy.Round(dimension, invited).Mechanism(plan.Id, round);
    }

    /// <summary>The number of words a site uploads for a <paramref name="dimension"/>-coordinate update: d rounded up to a power of two.</summary>
    public static int PaddedDimension(int dimension) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)dimension);

    /// <summary>
    /// Encodes <paramref name="delta"/> (the unweighted local-minus-global model delta) for round
    /// <paramref name="round"/> with <paramref name="invited"/> invited sites: the words to mask.
    /// </summary>
    /// <param name="plan">The plan (with a privacy section).</param>
    /// <param name="round">The round number (fixes the public rotation).</param>
    /// <param name="invited">The sites invited to the round (fixes the scale that keeps the sum from wrapping).</param>
    /// <param name="delta">The delta; read only.</param>
    /// <param name="random">Rounding coins and noise; default <see cref="CryptographicRandomSource.Shared"/> (seeded only in tests).</param>
    /// <exception cref="ArgumentException">The plan has no privacy section, or a coordinate of the delta is not finite.</exception>
    /// <exception cref="InvalidOperationException">No scale fits the round in 32 bits.</exception>
    public static uint[] Encode(TrainingPlan plan, long round, int invited, ReadOnlySpan<float> delta, IRandomSource? random = null)
    {
        var mechanism = Mechanism(plan, round, delta.Length, invited);
        var words = new uint[mechanism.PaddedDimension];
        mechanism.Encode(delta, words, random);
        return words;
    }
}
