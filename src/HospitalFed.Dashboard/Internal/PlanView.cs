using System.Text.Json.Nodes;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// What one plan's round log says, folded entry by entry (<see cref="Apply"/>) as the log grows.
/// It reads entries as stored; the audit page's <c>LogVerifier</c> run is what checks them.
/// Not thread-safe: <see cref="RoundLogFeed"/> serialises access.
/// </summary>
internal sealed class PlanView(string planId)
{
    public string PlanId { get; } = planId;

    public TrainingPlan? Plan { get; private set; }

    public long Size { get; private set; }

    public DateTimeOffset? LastEntryAt { get; private set; }

    public List<(string Admin, long Round, DateTimeOffset Time)> Approvals { get; } = [];

    public SortedDictionary<string, (bool Accept, IReadOnlyList<string> Reasons, DateTimeOffset Time)> Decisions { get; } = new(StringComparer.Ordinal);

    public List<RoundView> Rounds { get; } = [];

    public (long Size, string Root, DateTimeOffset Time)? LatestHead { get; private set; }

    public int TreeHeads { get; private set; }

    public SortedDictionary<string, (int Count, long LastSize, DateTimeOffset Time)> Countersignatures { get; } = new(StringComparer.Ordinal);

    /// <summary>Each author's certificate (DER) and the time of its last entry.</summary>
    public SortedDictionary<string, (byte[] Certificate, DateTimeOffset LastSeen)> Authors { get; } = new(StringComparer.Ordinal);

    public RoundView? CurrentRound => Rounds.Count > 0 ? Rounds[^1] : null;

    /// <summary>Rounds that produced a model.</summary>
    public int CompletedRounds => Rounds.Count(r => r.ModelAt is not null);

    /// <summary>The plan's state in a few words.</summary>
    public string Status(int threshold) =>
        Plan is { } plan && CompletedRounds >= plan.Rounds ? "completed"
        : CurrentRound is { Finished: false } open ? $"round {open.Number}: {open.Phase}"
        : Rounds.Count > 0 ? "between rounds"
        : Approvals.Count(a => a.Round == 0) >= threshold ? "approved, waiting for sites"
        : $"awaiting approvals ({Approvals.Count(a => a.Round == 0)} of {threshold})";

    /// <summary>Counts a stored line that could not be read, so the tail moves past it (the feed reports it).</summary>
    public void Skip() => Size++;

    /// <summary>Folds one entry in; returns a short description of what happened, for the live feed.</summary>
    public string Apply(LogEntry entry)
    {
        Size++;
        LastEntryAt = entry.Time;
        Authors[entry.Author] = (entry.CertificateDer, entry.Time);
        var body = entry.Body;
        var round = Rounds.LastOrDefault(r => r.Number == entry.Round);
        switch (entry.Kind)
        {
            case LogEntryKind.PlanProposed:
                Plan = TryPlan(body["plan"]);
                return "plan proposed";
            case LogEntryKind.Approval:
                Approvals.Add((entry.Author, entry.Round, entry.Time));
                round?.Approvals.Add((entry.Author, entry.Time));
                return entry.Round == 0 ? $"{entry.Author} approved the plan" : $"{entry.Author} approved round {entry.Round}";
            case LogEntryKind.SiteDecision:
                var accept = body["accept"]?.GetValue<bool>() ?? false;
                Decisions[entry.Author] = (accept, Strings(body["reasons"]), entry.Time);
                return $"{entry.Author} {(accept ? "accepted" : "refused")} the plan";
            case LogEntryKind.RoundOpened:
                DateTimeOffset? deadline = DateTimeOffset.TryParse(body["deadline"]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d : null;
                Rounds.Add(new RoundView(entry.Round, entry.Time, Strings(body["sites"]), deadline));
                return $"round {entry.Round} opened for {Strings(body["sites"]).Count} sites";
            case LogEntryKind.Participants when round is not null:
                round.Participants = Strings(body["sites"]);
                return $"round {entry.Round}: {round.Participants.Count} participants";
            case LogEntryKind.Upload when round is not null:
                round.Uploads.Add((entry.Author, entry.Time, body["bytes"]?.GetValue<long>() ?? 0));
                return $"round {entry.Round}: {entry.Author} uploaded";
            case LogEntryKind.Dropout when round is not null:
                var site = body["site"]?.GetValue<string>() ?? "?";
                round.Dropouts.Add((site, body["stage"]?.GetValue<string>() ?? "?", entry.Time));
                return $"round {entry.Round}: {site} dropped out";
            case LogEntryKind.Aggregate when round is not null:
                round.AggregatedAt = entry.Time;
                round.Contributors = Strings(body["contributors"]);
                return $"round {entry.Round}: aggregate of {round.Contributors.Count} sites";
            case LogEntryKind.Model when round is not null:
                round.ModelAt = entry.Time;
                return $"round {entry.Round}: model published";
            case LogEntryKind.Metrics when round is not null:
                round.MetricsAt = entry.Time;
                round.MetricSamples = body["samples"]?.GetValue<long>() ?? 0;
                foreach (var (name, value) in body["values"]?.AsObject() ?? [])
                {
                    round.Metrics[name] = value?.GetValue<double>() ?? double.NaN;
                }

                return $"round {entry.Round}: metrics reported";
            case LogEntryKind.PrivacySpend when round is not null:
                round.PrivacySpend = (Number(body["epsilon"]), Number(body["delta"]), Number(body["cumulativeEpsilon"]));
                return $"round {entry.Round}: privacy spend recorded";
            case LogEntryKind.RoundAborted when round is not null:
                round.AbortReason = body["reason"]?.GetValue<string>() ?? "?";
                return $"round {entry.Round} aborted";
            case LogEntryKind.TreeHead:
                TreeHeads++;
                LatestHead = (body["size"]?.GetValue<long>() ?? 0, body["root"]?.GetValue<string>() ?? "", entry.Time);
                return $"tree head signed at size {LatestHead.Value.Size}";
            case LogEntryKind.Countersignature:
                var before = Countersignatures.GetValueOrDefault(entry.Author);
                Countersignatures[entry.Author] = (before.Count + 1, body["size"]?.GetValue<long>() ?? 0, entry.Time);
                return $"{entry.Author} countersigned the head";
            default:
                return LogEntryKinds.Name(entry.Kind);
        }
    }

    /// <summary>Privacy spend so far: the last cumulative epsilon the log records, with its delta; null if none.</summary>
    public (double Cumulative, double Delta, long Round)? PrivacyBudget() =>
        Rounds.LastOrDefault(r => r.PrivacySpend is not null) is { PrivacySpend: { } spend } r ? (spend.Cumulative, spend.Delta, r.Number) : null;

    private static TrainingPlan? TryPlan(JsonNode? node)
    {
        try
        {
            return node is null ? null : TrainingPlan.FromNode(node);
        }
        catch (Exception ex) when (ex is PlanException or FormatException or InvalidOperationException or ArgumentException)
        {
            return null; // shown as "unreadable plan"; the audit page names the failure
        }
    }

    private static double Number(JsonNode? node) => node?.GetValue<double>() ?? double.NaN;

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n?.GetValue<string>() ?? "?")] : [];
}
