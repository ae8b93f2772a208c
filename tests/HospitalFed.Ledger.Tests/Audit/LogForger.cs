using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Log.Merkle;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Audit;

/// <summary>
/// Plays a malicious aggregator (with colluding countersigning sites): rewrites a list of entries
/// into a log whose tree heads and countersignatures are all freshly and validly signed, so only
/// the governance rules can catch what was changed.
/// </summary>
internal static class LogForger
{
    public static byte[] Rebuild(ConsortiumSimulation sim, IEnumerable<LogEntry> entries)
    {
        var frontier = new MerkleFrontier();
        var output = new List<byte>();
        TreeHead? lastHead = null;
        foreach (var original in entries)
        {
            var entry = original;
            if (original.Kind == LogEntryKind.TreeHead)
            {
                entry = LogEntry.Sign(sim.Aggregator, original.PlanId, LogEntries.TreeHead(frontier.Size, frontier.Root()), original.Time);
                lastHead = TreeHead.From(entry);
            }
            else if (original.Kind == LogEntryKind.Countersignature && lastHead is not null)
            {
                var site = sim.Sites.Single(s => s.Name == original.Author);
                entry = LogEntry.Sign(site, original.PlanId, LogEntries.Countersignature(lastHead.Size, lastHead.Root), original.Time);
            }

            var line = LogLine.Encode(entry, frontier.Size);
            frontier.Append(MerkleHash.Leaf(line));
            output.AddRange(line);
            output.Add((byte)'\n');
        }

        return [.. output];
    }

    /// <summary>Verifies the log in <paramref name="store"/> followed by <paramref name="extra"/> entries the round log refused, everything re-signed.</summary>
    public static HospitalFed.Ledger.Audit.AuditResult VerifyAppended(ConsortiumSimulation sim, MemoryLogStore store, params LogEntry[] extra)
    {
        var file = Rebuild(sim, [.. store.ReadAll().Select(l => LogLine.Decode(l, out _)), .. extra]);
        return new HospitalFed.Ledger.Audit.LogVerifier(sim.Root, sim.Revocation).Verify(HospitalFed.Ledger.Audit.LogVerifier.SplitLines(file));
    }

    public static List<LogEntry> Entries(SampleLog sample) => [.. sample.Store.ReadAll().Select(l => LogLine.Decode(l, out _))];

    public static LogEntry Sign(ConsortiumSimulation sim, SigningIdentity author, string planId, EntryContent content, DateTimeOffset time) =>
        LogEntry.Sign(author, planId, content, time);
}
