using HospitalFed.Crypto.Quantization;

namespace HospitalFed.Crypto.SecAgg;

/// <summary>
/// The public, validated parameters of one secure-aggregation round, identical at every site
/// and at the aggregator (they follow from the plan and the round's participant list).
/// </summary>
public sealed class SecAggParameters
{
    /// <summary>The default number of words per masked-input chunk: 64 Ki words (256 KiB).</summary>
    public const int DefaultChunkWords = 64 * 1024;

    private readonly Dictionary<string, int> _indexes;

    /// <summary>Creates and validates the parameters.</summary>
    /// <param name="planId">The plan id (lower-case hex SHA-256 of the plan).</param>
    /// <param name="round">The round number.</param>
    /// <param name="participants">The sites invited to the round (consortium names); sorted ordinally here, so order does not matter.</param>
    /// <param name="threshold">
    /// t: shares needed to reconstruct a site's secrets, and the least number of sites that
    /// must survive each stage. Must exceed half the holders of each secret (n, or k + 1 with
    /// SecAgg+), so two disjoint survivor sets can never both reach t (Bonawitz et al. 2017,
    /// section 6.2); ⌊2n/3⌋ + 1 is the recommended choice.
    /// </param>
    /// <param name="quantization">The quantisation plan; its <see cref="QuantizationPlan.MaxSites"/> must cover every participant.</param>
    /// <param name="neighbours">
    /// k for SecAgg+ (Bell et al. 2020): each site shares and masks only with k others on a
    /// random k-regular graph. 0 (the default) means the complete graph of the original protocol.
    /// </param>
    /// <param name="chunkWords">Words per masked-input chunk; default <see cref="DefaultChunkWords"/>.</param>
    /// <exception cref="ArgumentException">A parameter is out of range; the message says which and why.</exception>
    public SecAggParameters(string planId, long round, IEnumerable<string> participants, int threshold, QuantizationPlan quantization, int neighbours = 0, int chunkWords = DefaultChunkWords)
    {
        ArgumentException.ThrowIfNullOrEmpty(planId);
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentNullException.ThrowIfNull(quantization);
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        var sorted = participants.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        if (sorted.Length < 2)
        {
            throw new ArgumentException($"secure aggregation needs at least 2 participants; got {sorted.Length}", nameof(participants));
        }

        for (var i = 0; i < sorted.Length; i++)
        {
            if (string.IsNullOrEmpty(sorted[i]) || sorted[i] == Identity.MessageBinding.Broadcast)
            {
                throw new ArgumentException($"participant {i} has an empty or reserved name", nameof(participants));
            }

            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw new ArgumentException($"participant '{sorted[i]}' is listed twice", nameof(participants));
            }
        }

        if (quantization.MaxSites < sorted.Length)
        {
            throw new ArgumentException($"the quantisation plan allows {quantization.MaxSites} sites but the round has {sorted.Length}: the sum could wrap", nameof(quantization));
        }

        if (neighbours != 0 && (neighbours < 2 || neighbours % 2 != 0 || neighbours >= sorted.Length - 1))
        {
            throw new ArgumentOutOfRangeException(nameof(neighbours), neighbours, $"SecAgg+ needs an even k with 2 <= k < n - 1 = {sorted.Length - 1}; use 0 for the complete graph");
        }

        var holders = neighbours == 0 ? sorted.Length : neighbours + 1;
        if (threshold > holders || 2 * threshold <= holders)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"the threshold must lie in ({holders / 2}, {holders}] for {holders} holders of each secret");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(chunkWords, 4);
        PlanId = planId;
        Round = round;
        Participants = sorted;
        Threshold = threshold;
        Quantization = quantization;
        Neighbours = neighbours;
        ChunkWords = chunkWords & ~3; // whole AES blocks per chunk
        _indexes = sorted.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        Graph = neighbours == 0 ? NeighbourGraph.Complete(sorted.Length) : NeighbourGraph.Harary(sorted.Length, neighbours, planId, round);
    }

    /// <summary>The plan id.</summary>
    public string PlanId { get; }

    /// <summary>The round number.</summary>
    public long Round { get; }

    /// <summary>The participants, sorted ordinally; a site's index here fixes its Shamir x-coordinate (index + 1) and its mask signs.</summary>
    public IReadOnlyList<string> Participants { get; }

    /// <summary>t, the reconstruction threshold.</summary>
    public int Threshold { get; }

    /// <summary>The quantisation plan.</summary>
    public QuantizationPlan Quantization { get; }

    /// <summary>k for SecAgg+, or 0 for the complete graph.</summary>
    public int Neighbours { get; }

    /// <summary>Words per masked-input chunk (a multiple of 4).</summary>
    public int ChunkWords { get; }

    /// <summary>The vector length d.</summary>
    public int Dimension => Quantization.Dimension;

    /// <summary>The neighbour graph (complete unless SecAgg+).</summary>
    public NeighbourGraph Graph { get; }

    /// <summary>Returns the roster index of <paramref name="name"/>, or -1 if it is not a participant.</summary>
    public int IndexOf(string name) => _indexes.GetValueOrDefault(name, -1);
}
