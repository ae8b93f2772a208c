namespace HospitalFed.Ledger.Audit;

/// <summary>What the log shows for one round.</summary>
public sealed class RoundSummary
{
    /// <summary>The round number.</summary>
    public required long Round { get; init; }

    /// <summary>When the round was opened.</summary>
    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>The sites invited.</summary>
    public required IReadOnlyList<string> Invited { get; init; }

    /// <summary>The sites whose updates formed the aggregate (empty until logged).</summary>
    public IReadOnlyList<string> Participants { get; set; } = [];

    /// <summary>The sites that uploaded a protected update.</summary>
    public List<string> Uploads { get; } = [];

    /// <summary>The sites that dropped out.</summary>
    public List<string> Dropouts { get; } = [];

    /// <summary>The global model the round started from.</summary>
    public required string StartModel { get; init; }

    /// <summary>The model digest the round produced, once logged.</summary>
    public string? ResultModel { get; set; }

    /// <summary>The aggregate digest, once logged.</summary>
    public string? Aggregate { get; set; }

    /// <summary>Metrics logged for the round.</summary>
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    /// <summary>Admins whose per-round approval counted (per-round approval plans only).</summary>
    public IReadOnlyList<string> Approvers { get; set; } = [];

    /// <summary>Why the aggregator aborted the round, if it did (an aborted round has no model).</summary>
    public string? AbortReason { get; set; }

    /// <summary>
    /// Whether the round pools feature statistics: the plan's first round to complete (round 1
    /// unless an earlier attempt was aborted). It adds no noise and spends no privacy budget.
    /// </summary>
    public bool PoolsStatistics { get; init; }

    /// <summary>The round's differential-privacy spend, once logged (null for plans without privacy and for the statistics round).</summary>
    public PrivacySpendSummary? Privacy { get; set; }

    /// <summary>Whether the round reached its model digest.</summary>
    public bool Complete => ResultModel is not null;
}
