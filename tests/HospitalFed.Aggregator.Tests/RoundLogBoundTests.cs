using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// The round log's size per round, as docs/auditor-guide.md ("Round log size") states it: a completed
/// training round without dropouts writes exactly 6 + 2s entries for s sites (the statistics round one
/// fewer: no metrics), counting the tree head signed at its end and the sites' countersignatures of
/// it, and at most
/// (6 + 2s)(c + 512) + 3s(n + 3) + 2048 bytes, c being the longest base64 certificate of the round's
/// authors, n the longest site name and 2048 the metrics entry's evaluation sums. Counted from the
/// lines of a real run's log.
/// </summary>
[TestFixture]
public sealed class RoundLogBoundTests
{
    /// <summary>The guide's per-entry allowance besides the certificate: field names, ids, digests, signature, time.</summary>
    private const int EntryAllowance = 512;

    /// <summary>The guide's allowance for the metrics entry's body (loss, AUC, Brier, calibration table).</summary>
    private const int MetricsAllowance = 2048;

    [Test]
    public void RoundLog_FourSitePairwisePlan_EveryRoundWithinTheStatedBound()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        var sites = federation.Agents.Count;
        var longestName = federation.Agents.Keys.Max(n => n.Length);
        var rounds = Rounds(federation.LogLines);
        Assert.That(rounds.Select(r => r.Round), Is.EqualTo(new long[] { 1, 2, 3 }));
        foreach (var (round, lines) in rounds)
        {
            var entries = lines.Select(l => LogLine.Decode(l.AsMemory(), out _)).ToList();
            var certificate = entries.Max(e => Convert.ToBase64String(e.CertificateDer).Length);
            var bytes = lines.Sum(l => l.Length + 1L); // JSON Lines: one newline each
            var bound = ((6 + (2 * sites)) * (certificate + EntryAllowance)) + (3 * sites * (longestName + 3)) + MetricsAllowance;
            TestContext.Out.WriteLine($"round {round}: {entries.Count} entries, {bytes} bytes (bound {bound}, certificate {certificate}); "
                + string.Join(", ", entries.GroupBy(e => LogEntryKinds.Name(e.Kind)).Select(g => $"{g.Key} {g.Count()}")));
            Assert.That(entries, Has.Count.EqualTo(round == 1 ? 5 + (2 * sites) : 6 + (2 * sites)), $"round {round}'s entries");
            Assert.That(bytes, Is.LessThanOrEqualTo(bound), $"round {round}'s bytes");
        }
    }

    // Each round's lines: the entries that carry its number, the tree head signed after them and the
    // sites' countersignatures of that head (heads and countersignatures carry round 0 and may be
    // logged after the next round opened).
    private static List<(long Round, List<byte[]> Lines)> Rounds(IReadOnlyList<byte[]> lines)
    {
        var rounds = new SortedDictionary<long, List<byte[]>>();
        var roundOfHead = new Dictionary<long, long>();
        long current = 0;
        foreach (var line in lines)
        {
            var entry = LogLine.Decode(line.AsMemory(), out _);
            var round = entry.Kind switch
            {
                LogEntryKind.TreeHead => roundOfHead[TreeHead.From(entry).Size] = current,
                LogEntryKind.Countersignature => roundOfHead[TreeHead.From(entry).Size],
                _ => current = entry.Round,
            };
            if (round > 0)
            {
                (rounds.TryGetValue(round, out var list) ? list : rounds[round] = []).Add(line);
            }
        }

        return [.. rounds.Select(r => (r.Key, r.Value))];
    }
}
