namespace HospitalFed.Dashboard.Internal;

/// <summary>One round as the round log tells it, with the time of each step.</summary>
internal sealed class RoundView(long number, DateTimeOffset openedAt, IReadOnlyList<string> invited, DateTimeOffset? deadline)
{
    public long Number { get; } = number;

    public DateTimeOffset OpenedAt { get; } = openedAt;

    public IReadOnlyList<string> Invited { get; } = invited;

    public DateTimeOffset? Deadline { get; } = deadline;

    public List<(string Site, DateTimeOffset Time, long Bytes)> Uploads { get; } = [];

    public List<(string Site, string Stage, DateTimeOffset Time)> Dropouts { get; } = [];

    public IReadOnlyList<string> Participants { get; set; } = [];

    public IReadOnlyList<string> Contributors { get; set; } = [];

    public DateTimeOffset? AggregatedAt { get; set; }

    public DateTimeOffset? ModelAt { get; set; }

    public DateTimeOffset? MetricsAt { get; set; }

    public SortedDictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    public long MetricSamples { get; set; }

    public string? AbortReason { get; set; }

    public (double Epsilon, double Delta, double Cumulative)? PrivacySpend { get; set; }

    public List<(string Admin, DateTimeOffset Time)> Approvals { get; } = [];

    /// <summary>Where the round stands, from the last step the log records.</summary>
    public string Phase =>
        AbortReason is not null ? "aborted"
        : MetricsAt is not null ? "evaluated"
        : ModelAt is not null ? "model published"
        : AggregatedAt is not null ? "aggregated"
        : Uploads.Count > 0 ? "collecting uploads"
        : "open";

    /// <summary>Whether the round is over (a model or an abort).</summary>
    public bool Finished => ModelAt is not null || AbortReason is not null;

    /// <summary>
    /// The duration of each phase the log can time: protect and upload (open to last upload),
    /// aggregate (last upload to aggregate), model (aggregate to model), evaluate (model to metrics).
    /// </summary>
    public IReadOnlyList<(string Phase, TimeSpan Duration)> PhaseTimes()
    {
        var times = new List<(string, TimeSpan)>();
        var lastUpload = Uploads.Count > 0 ? Uploads.Max(u => u.Time) : (DateTimeOffset?)null;
        Add(times, "train, protect and upload", OpenedAt, lastUpload);
        Add(times, "aggregate", lastUpload, AggregatedAt);
        Add(times, "publish model", AggregatedAt, ModelAt);
        Add(times, "evaluate", ModelAt, MetricsAt);
        return times;
    }

    private static void Add(List<(string, TimeSpan)> times, string phase, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } a && to is { } b)
        {
            times.Add((phase, b - a));
        }
    }
}
