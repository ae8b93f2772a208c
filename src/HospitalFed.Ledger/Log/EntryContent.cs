using System.Text.Json.Nodes;

namespace HospitalFed.Ledger.Log;

/// <summary>What an author is about to sign: the kind, the round and the kind-specific body. Built by <see cref="LogEntries"/>.</summary>
/// <param name="Kind">The entry kind.</param>
/// <param name="Round">The round (0 for plan-level entries).</param>
/// <param name="Body">The body, a JSON object.</param>
public sealed record EntryContent(LogEntryKind Kind, long Round, JsonObject Body);
