using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Audit;

/// <summary>
/// A round the aggregator aborts (after its own restart): the log records it, the next round gets
/// a fresh number and starts from the last completed model, and only completed rounds count
/// towards the plan.
/// </summary>
public sealed class AbortedRoundTests
{
    [Test]
    public void Verify_RoundAbortedThenRetriedUnderNextNumber_Verifies()
    {
        // Arrange
        using var run = new Run(rounds: 2);
        var first = run.Sim.RunRound(run.Log, run.Plan, 1, ConsortiumSimulation.InitialModel, []);
        run.OpenWithUploads(2, first);
        run.Log.AppendSigned(run.Sim.Aggregator, LogEntries.RoundAborted(2, "aggregator restart"));

        // Act
        run.Sim.RunRound(run.Log, run.Plan, 3, first, []);
        var result = run.Verify();

        // Assert
        Assert.That(result.Ok, Is.True, result.Failure?.ToString());
        Assert.That(result.Summary.Rounds.Select(r => (r.Round, r.Complete, r.AbortReason)), Is.EqualTo(new[] { (1L, true, (string?)null), (2L, false, "aggregator restart"), (3L, true, null) }));
    }

    [Test]
    public void Append_EntryForAnAbortedRound_IsRefused()
    {
        // Arrange
        using var run = new Run(rounds: 2);
        run.OpenWithUploads(1, ConsortiumSimulation.InitialModel);
        run.Log.AppendSigned(run.Sim.Aggregator, LogEntries.RoundAborted(1, "aggregator restart"));
        var late = LogEntry.Sign(run.Sim.Aggregator, run.Plan.Id, LogEntries.Participants(1, run.Sites), run.Sim.Time.GetUtcNow());

        // Act
        var refused = Assert.Throws<InvalidOperationException>(() => run.Log.Append(late));
        var forged = run.Forged(late);

        // Assert
        Assert.That(refused!.Message, Does.Contain("after it was aborted"));
        Assert.That(forged.Failure?.What, Is.EqualTo("round"));
    }

    [Test]
    public void Append_AbortedRoundNumberReopened_IsRefused()
    {
        // Arrange: reusing the number would let the aggregator replay the aborted round's signed keys.
        using var run = new Run(rounds: 2);
        run.OpenWithUploads(1, ConsortiumSimulation.InitialModel);
        run.Log.AppendSigned(run.Sim.Aggregator, LogEntries.RoundAborted(1, "aggregator restart"));
        var reopen = LogEntry.Sign(run.Sim.Aggregator, run.Plan.Id, LogEntries.RoundOpened(1, ConsortiumSimulation.InitialModel, run.Sites, run.Sim.Time.GetUtcNow()), run.Sim.Time.GetUtcNow());

        // Act
        var forged = run.Forged(reopen);

        // Assert
        Assert.Throws<InvalidOperationException>(() => run.Log.Append(reopen));
        Assert.That(forged.Failure?.Why, Does.Contain("next round is 2"));
    }

    [Test]
    public void Append_RetryStartingFromTheAbortedRoundsSuccessor_IsRefusedAsBrokenChain()
    {
        // Arrange: the retry must start from the last COMPLETED model, not from anything else.
        using var run = new Run(rounds: 3);
        var first = run.Sim.RunRound(run.Log, run.Plan, 1, ConsortiumSimulation.InitialModel, []);
        run.OpenWithUploads(2, first);
        run.Log.AppendSigned(run.Sim.Aggregator, LogEntries.RoundAborted(2, "aggregator restart"));
        var wrong = LogEntry.Sign(run.Sim.Aggregator, run.Plan.Id, LogEntries.RoundOpened(3, new string('a', 64), run.Sites, run.Sim.Time.GetUtcNow()), run.Sim.Time.GetUtcNow());

        // Act
        var forged = run.Forged(wrong);

        // Assert
        Assert.Throws<InvalidOperationException>(() => run.Log.Append(wrong));
        Assert.That(forged.Failure?.What, Is.EqualTo("model chain"));
    }

    [Test]
    public void Append_RoundBeyondThePlansCompletedRounds_IsRefused()
    {
        // Arrange
        using var run = new Run(rounds: 2);
        var first = run.Sim.RunRound(run.Log, run.Plan, 1, ConsortiumSimulation.InitialModel, []);
        var model = run.Sim.RunRound(run.Log, run.Plan, 2, first, []);
        var extra = LogEntry.Sign(run.Sim.Aggregator, run.Plan.Id, LogEntries.RoundOpened(3, model, run.Sites, run.Sim.Time.GetUtcNow()), run.Sim.Time.GetUtcNow());

        // Act
        var forged = run.Forged(extra);

        // Assert
        Assert.Throws<InvalidOperationException>(() => run.Log.Append(extra));
        Assert.That(forged.Failure?.Why, Does.Contain("rounds are complete"));
    }

    [Test]
    public void Verify_AbortsBetweenCompletedRounds_OnlyCompletedRoundsCountTowardsThePlan()
    {
        // Arrange: plan of 3 rounds; rounds 2 and 4 are aborted, so 1, 3 and 5 complete it.
        using var run = new Run(rounds: 3);
        var model = ConsortiumSimulation.InitialModel;
        for (long round = 1; round <= 5; round++)
        {
            if (round % 2 == 0)
            {
                run.OpenWithUploads(round, model);
                run.Log.AppendSigned(run.Sim.Aggregator, LogEntries.RoundAborted(round, "aggregator restart"));
            }
            else
            {
                model = run.Sim.RunRound(run.Log, run.Plan, round, model, []);
            }
        }

        var extra = LogEntry.Sign(run.Sim.Aggregator, run.Plan.Id, LogEntries.RoundOpened(6, model, run.Sites, run.Sim.Time.GetUtcNow()), run.Sim.Time.GetUtcNow());

        // Act
        var result = run.Verify();
        var forged = run.Forged(extra);

        // Assert: the running count agrees with a rescan of the summary, and a sixth opening is one too many.
        Assert.That(result.Ok, Is.True, result.Failure?.ToString());
        Assert.That(result.Summary.Rounds.Count(r => r.Complete), Is.EqualTo(run.Plan.Rounds));
        Assert.That(result.Summary.Rounds.Where(r => !r.Complete).Select(r => r.Round), Is.EqualTo(new[] { 2L, 4L }));
        Assert.Throws<InvalidOperationException>(() => run.Log.Append(extra));
        Assert.That(forged.Failure?.Why, Does.Contain("round 6 opened").And.Contain("3 rounds are complete"));
    }

    [Test]
    public void Append_AbortOfACompletedRound_IsRefused()
    {
        // Arrange
        using var run = new Run(rounds: 2);
        run.Sim.RunRound(run.Log, run.Plan, 1, ConsortiumSimulation.InitialModel, []);
        var abort = LogEntry.Sign(run.Sim.Aggregator, run.Plan.Id, LogEntries.RoundAborted(1, "aggregator restart"), run.Sim.Time.GetUtcNow());

        // Act
        var forged = run.Forged(abort);

        // Assert
        Assert.Throws<InvalidOperationException>(() => run.Log.Append(abort));
        Assert.That(forged.Failure?.What, Is.EqualTo("round aborted"));
    }

    [Test]
    public void Verify_AbortEntryWithOneBitFlipped_FailsItsSignature()
    {
        // Arrange
        using var run = new Run(rounds: 2);
        run.OpenWithUploads(1, ConsortiumSimulation.InitialModel);
        run.Log.AppendSigned(run.Sim.Aggregator, LogEntries.RoundAborted(1, "aggregator restart"));
        var lines = run.Store.ReadAll().Select(l => l.ToArray()).ToList();
        var last = lines[^1];
        var at = System.Text.Encoding.UTF8.GetString(last).IndexOf("restart", StringComparison.Ordinal);
        last[at] ^= 0x01;

        // Act
        var result = new LogVerifier(run.Sim.Root, run.Sim.Revocation).Verify(lines);

        // Assert
        Assert.That(result.Ok, Is.False);
        Assert.That(result.Failure?.Index, Is.EqualTo(lines.Count - 1));
    }

    [Test]
    public void RoundAborted_EmptyReason_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => LogEntries.RoundAborted(1, " "));
    }

    /// <summary>A consortium of three sites and a log holding a plan without differential privacy.</summary>
    private sealed class Run : IDisposable
    {
        public Run(long rounds)
        {
            Sim = ConsortiumSimulation.Create(sites: 3);
            Plan = ConsortiumSimulation.Plan(rounds);
            Store = new MemoryLogStore();
            Log = Sim.StartLog(Store, Plan);
        }

        public ConsortiumSimulation Sim { get; }

        public TrainingPlan Plan { get; }

        public MemoryLogStore Store { get; }

        public RoundLog Log { get; }

        public string[] Sites => [.. Sim.Sites.Select(s => s.Name)];

        /// <summary>Opens <paramref name="round"/> and logs every site's upload, as a round cut short before its participants.</summary>
        public void OpenWithUploads(long round, string startModel)
        {
            Log.AppendSigned(Sim.Aggregator, LogEntries.RoundOpened(round, startModel, Sites, Sim.Time.GetUtcNow().AddMinutes(10)));
            foreach (var site in Sim.Sites)
            {
                Log.Append(LogEntry.Sign(site, Plan.Id, LogEntries.Upload(round, new string('b', 64), 4096), Sim.Time.GetUtcNow()));
            }
        }

        public AuditResult Verify() => new LogVerifier(Sim.Root, Sim.Revocation).Verify([.. Store.ReadAll().Select(l => l.ToArray())]);

        public AuditResult Forged(params LogEntry[] extra)
        {
            var file = LogForger.Rebuild(Sim, [.. Store.ReadAll().Select(l => LogLine.Decode(l, out _)), .. extra]);
            return new LogVerifier(Sim.Root, Sim.Revocation).Verify(LogVerifier.SplitLines(file));
        }

        public void Dispose()
        {
            Store.Dispose();
            Sim.Dispose();
        }
    }
}
