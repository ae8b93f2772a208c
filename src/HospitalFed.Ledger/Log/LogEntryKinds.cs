using HospitalFed.Crypto.Identity;

namespace HospitalFed.Ledger.Log;

/// <summary>Wire names, signature purpose labels and author roles of each <see cref="LogEntryKind"/>.</summary>
public static class LogEntryKinds
{
    private static readonly Dictionary<LogEntryKind, string> Names = new()
    {
        [LogEntryKind.Consortium] = "consortium",
        [LogEntryKind.PlanProposed] = "plan-proposed",
        [LogEntryKind.Approval] = "approval",
        [LogEntryKind.SiteDecision] = "site-decision",
        [LogEntryKind.RoundOpened] = "round-opened",
        [LogEntryKind.Participants] = "participants",
        [LogEntryKind.Upload] = "upload",
        [LogEntryKind.Dropout] = "dropout",
        [LogEntryKind.Aggregate] = "aggregate",
        [LogEntryKind.Model] = "model",
        [LogEntryKind.Metrics] = "metrics",
        [LogEntryKind.PrivacySpend] = "privacy-spend",
        [LogEntryKind.TreeHead] = "tree-head",
        [LogEntryKind.Countersignature] = "countersignature",
        [LogEntryKind.RoundAborted] = "round-aborted",
    };

    private static readonly Dictionary<string, LogEntryKind> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The wire name, e.g. "round-opened".</summary>
    public static string Name(LogEntryKind kind) =>
        Names.TryGetValue(kind, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown entry kind");

    /// <summary>Parses a wire name.</summary>
    public static bool TryParse(string name, out LogEntryKind kind) => ByName.TryGetValue(name, out kind);

    /// <summary>
    /// The signature purpose label: one per kind, so a signature made for one kind of entry can
    /// never be replayed as another (DESIGN.md: purposes are separated like HKDF info labels).
    /// </summary>
    public static string Purpose(LogEntryKind kind) => "hfed/log/" + Name(kind);

    /// <summary>The roles allowed to author <paramref name="kind"/>.</summary>
    public static ConsortiumRole[] Authors(LogEntryKind kind) => kind switch
    {
        LogEntryKind.PlanProposed => [ConsortiumRole.Admin, ConsortiumRole.Aggregator],
        LogEntryKind.Approval => [ConsortiumRole.Admin],
        LogEntryKind.SiteDecision or LogEntryKind.Upload or LogEntryKind.Countersignature => [ConsortiumRole.Site],
        _ => [ConsortiumRole.Aggregator],
    };
}
