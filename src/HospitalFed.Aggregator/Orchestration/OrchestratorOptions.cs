namespace HospitalFed.Aggregator.Orchestration;

/// <summary>Deadlines and the invited sites of an orchestrated plan.</summary>
public sealed record OrchestratorOptions
{
    /// <summary>The sites invited to every round (certificate names).</summary>
    public required IReadOnlyList<string> Sites { get; init; }

    /// <summary>How long to wait for every invited site before opening with at least the plan's minimum; default 60 s.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Deadline of each protocol phase (training happens inside the key-advertisement phase); default 60 s.</summary>
    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Words per masked-input chunk; default 64 Ki (256 KiB).</summary>
    public int ChunkWords { get; init; } = 64 * 1024;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">No sites, a repeated site or a non-positive timeout.</exception>
    public void Validate()
    {
        if (Sites is null || Sites.Count == 0)
        {
            throw new ArgumentException("At least one site must be invited.", nameof(Sites));
        }

        if (Sites.Distinct(StringComparer.Ordinal).Count() != Sites.Count)
        {
            throw new ArgumentException("A site is invited twice.", nameof(Sites));
        }

        if (JoinTimeout <= TimeSpan.Zero || PhaseTimeout <= TimeSpan.Zero || ChunkWords <= 0)
        {
            throw new ArgumentException("Timeouts and the chunk size must be positive.");
        }
    }
}
