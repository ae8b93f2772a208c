using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Benchmarks.LongPlan;

/// <summary>
/// A plan's round log split into rounds: a round's entry set runs from its round-opened entry
/// to the next one (so it includes the tree head and countersignatures that close it).
/// </summary>
/// <param name="TotalBytes">Bytes of the whole export (JSON Lines, newline included).</param>
/// <param name="TotalEntries">Entries in the log.</param>
/// <param name="Rounds">Each round's bytes and entries by kind, in round order.</param>
internal sealed record LongPlanLogSize(long TotalBytes, long TotalEntries, IReadOnlyList<LongPlanRoundEntries> Rounds)
{
    /// <summary>Exports <paramref name="log"/> and splits it into rounds.</summary>
    public static async Task<LongPlanLogSize> MeasureAsync(RoundLog log, CancellationToken cancellationToken)
    {
        using var export = new MemoryStream();
        await log.ExportAsync(export, cancellationToken).ConfigureAwait(false);
        var rounds = new List<LongPlanRoundEntries>();
        LongPlanRoundEntries? current = null;
        long entries = 0;
        foreach (var line in LogVerifier.SplitLines(export.ToArray()))
        {
            entries++;
            var entry = LogLine.Decode(line.AsMemory(), out _);
            if (entry.Kind == LogEntryKind.RoundOpened)
            {
                current = new LongPlanRoundEntries(entry.Round);
                rounds.Add(current);
            }

            current?.Add(LogEntryKinds.Name(entry.Kind), line.Length + 1);
        }

        return new LongPlanLogSize(export.Length, entries, rounds);
    }
}
