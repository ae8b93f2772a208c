using System.Buffers;
using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// One training round of FedAvg under a plan's differential privacy, as docs/privacy.md specifies
/// it: each site encodes its unweighted model delta with the round's distributed discrete Gaussian
/// mechanism (<see cref="EncodeContribution"/>: clip, rotate, round, add a noise share), secure
/// aggregation reveals the sum of the words mod 2^32 (<see cref="AddWords"/>: pairwise masks
/// cancel, so adding the encoded words is exactly what it reveals), and the aggregator decodes the
/// sum and moves the global model by the mean over the k contributors (<see cref="ApplyMean"/>).
/// Pure: no I/O, no clock; the site, the aggregator and the in-process simulation call the same code.
/// </summary>
/// <remarks>
/// Every party derives the same mechanism from the plan, the round, the update's dimension and the
/// invited sites (<see cref="PlanPrivacy.Round"/>, rotation seed <see cref="PlanPrivacy.RotationSeed"/>).
/// The mean is over contributors, not samples: a sample-count weight would itself depend on the
/// records (docs/privacy.md, "Unit of privacy").
/// </remarks>
public sealed class PrivateFedAvgRound
{
    /// <summary>Derives round <paramref name="round"/>'s mechanism.</summary>
    /// <param name="privacy">The plan's privacy section.</param>
    /// <param name="planId">The plan's id (seeds the rotation).</param>
    /// <param name="round">The plan's round number (2 or more: round 1 pools public statistics and adds no noise).</param>
    /// <param name="dimension">d: the model's parameter count.</param>
    /// <param name="invited">The sites invited to the round (sizes the overflow bound); at least the plan's minimum contributors.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range, or the round is the statistics round.</exception>
    /// <exception cref="InvalidOperationException">No scale fits the 32-bit ring (see <see cref="PlanPrivacy.Round"/>).</exception>
    public PrivateFedAvgRound(PlanPrivacy privacy, string planId, long round, int dimension, int invited)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        ArgumentException.ThrowIfNullOrEmpty(planId);
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 2);
        Parameters = privacy.Round(dimension, invited);
        Mechanism = Parameters.Mechanism(planId, round);
        PlanRound = round;
    }

    /// <summary>The plan round this is.</summary>
    public long PlanRound { get; }

    /// <summary>The round's mechanism parameters (scale, noise, norm bound, invited sites).</summary>
    public PrivacyRound Parameters { get; }

    /// <summary>The site encoder and aggregator decoder of this round.</summary>
    public DistributedDiscreteGaussian Mechanism { get; }

    /// <summary>d: the model's parameter count.</summary>
    public int Dimension => Parameters.Dimension;

    /// <summary>d': the words every site uploads (d rounded up to a power of two).</summary>
    public int WordCount => Mechanism.PaddedDimension;

    /// <summary>
    /// A site's contribution: its model delta <paramref name="local"/> - <paramref name="global"/>,
    /// clipped to the plan's clip norm, rotated, rounded and noised with a fresh share
    /// (<see cref="DistributedDiscreteGaussian.Encode(ReadOnlySpan{float}, Span{uint}, IRandomSource?)"/>), as
    /// <see cref="WordCount"/> words of Z_2^32 ready for pairwise masking.
    /// </summary>
    /// <param name="global">The model the round started from (length <see cref="Dimension"/>).</param>
    /// <param name="local">The site's model after local training (same length).</param>
    /// <param name="words">Receives the words (length <see cref="WordCount"/>).</param>
    /// <param name="random">Rounding coins and noise; default <see cref="CryptographicRandomSource.Shared"/> (seeded only in tests).</param>
    /// <exception cref="ArgumentException">A length is wrong (the message names both), or a coordinate is not finite.</exception>
    public void EncodeContribution(ReadOnlySpan<float> global, ReadOnlySpan<float> local, Span<uint> words, IRandomSource? random = null)
    {
        if (global.Length != Dimension || local.Length != Dimension)
        {
            throw new ArgumentException($"a contribution to round {PlanRound} takes two models of {Dimension} parameters; got {global.Length} (global) and {local.Length} (local)");
        }

        var buffer = ArrayPool<float>.Shared.Rent(Dimension);
        var delta = buffer.AsSpan(0, Dimension);
        try
        {
            for (var i = 0; i < delta.Length; i++)
            {
                delta[i] = local[i] - global[i];
            }

            EncodeDelta(delta, words, random);
        }
        finally
        {
            // The delta is a function of the site's records: clear it before the pool hands it on.
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(delta));
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A site's contribution from its model delta (local - global) already computed: clipped,
    /// rotated, rounded and noised with a fresh share into <see cref="WordCount"/> words.
    /// </summary>
    /// <param name="delta">The unweighted model delta (length <see cref="Dimension"/>); read only.</param>
    /// <param name="words">Receives the words (length <see cref="WordCount"/>).</param>
    /// <param name="random">Rounding coins and noise; default <see cref="CryptographicRandomSource.Shared"/> (seeded only in tests).</param>
    /// <exception cref="ArgumentException">A length is wrong, or a coordinate is not finite.</exception>
    public void EncodeDelta(ReadOnlySpan<float> delta, Span<uint> words, IRandomSource? random = null)
    {
        if (delta.Length != Dimension)
        {
            throw new ArgumentException($"a contribution to round {PlanRound} is a delta of {Dimension} parameters; got {delta.Length}", nameof(delta));
        }

        Mechanism.Encode(delta, words, random);
    }

    /// <summary>Adds one site's words into <paramref name="sum"/> mod 2^32: what secure aggregation reveals is the result over every contributor.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void AddWords(ReadOnlySpan<uint> words, Span<uint> sum)
    {
        if (words.Length != sum.Length)
        {
            throw new ArgumentException($"cannot add {words.Length} words into a sum of {sum.Length}");
        }

        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] = unchecked(sum[i] + words[i]);
        }
    }

    /// <summary>
    /// The aggregator's step: decodes the secure sum of <paramref name="contributors"/> sites' words
    /// (<see cref="DistributedDiscreteGaussian.DecodeSum"/>) and adds sum / k to <paramref name="global"/>.
    /// Charge the round (<see cref="RoundRho"/>) before releasing the result.
    /// </summary>
    /// <param name="sum">The words' sum mod 2^32 (length <see cref="WordCount"/>).</param>
    /// <param name="contributors">k: the sites whose words are in the sum.</param>
    /// <param name="global">The global model (length <see cref="Dimension"/>); receives the next one.</param>
    /// <exception cref="ArgumentOutOfRangeException">k is below the plan's minimum contributors (the sum carries less noise than approved and must not be released) or above the invited sites.</exception>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    public void ApplyMean(ReadOnlySpan<uint> sum, int contributors, Span<float> global)
    {
        if (contributors < Parameters.MinContributors || contributors > Parameters.Participants)
        {
            throw new ArgumentOutOfRangeException(
                nameof(contributors),
                contributors,
                $"round {PlanRound} releases a sum of {Parameters.MinContributors} to {Parameters.Participants} contributors (minimum contributors to invited sites)");
        }

        if (global.Length != Dimension)
        {
            throw new ArgumentException($"round {PlanRound} updates a model of {Dimension} parameters; got {global.Length}", nameof(global));
        }

        var decoded = new double[Dimension];
        Mechanism.DecodeSum(sum, decoded);
        for (var i = 0; i < global.Length; i++)
        {
            global[i] += (float)(decoded[i] / contributors);
        }
    }

    /// <summary>The round's zCDP cost with <paramref name="contributors"/> contributors (<see cref="PrivacyRound.RoundRho"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer contributors than the plan's minimum.</exception>
    public double RoundRho(int contributors) => Parameters.RoundRho(contributors);
}
