using System.Security.Cryptography;
using System.Text;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Audit;

/// <summary>
/// Entry times against log order: a back-dated entry (the way a revoked site would dodge its
/// revocation, which is checked at the entry's own time) is caught and named; honest clock skew
/// within <see cref="LogTimeRule.ClockSkewTolerance"/> and approvals or decisions signed ahead
/// of their logging are not.
/// </summary>
public sealed class TimeOrderTests
{
    [Test]
    public void Verify_UploadBackDatedBeforeItsRoundOpenedToDodgeRevocation_FailsNamingEntryAndBothTimes()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2, minSites: 3);
        using var store = new MemoryLogStore();
        sim.StartLog(store, plan);
        var revokedAt = sim.Time.GetUtcNow();
        sim.Revoke(sim.Sites[2]);
        sim.Time.Advance(TimeSpan.FromHours(1));
        var opened = Open(sim, plan);
        var backDated = Upload(sim, plan, 2, revokedAt.AddMinutes(-1));

        var result = Forged(sim, store, opened, Upload(sim, plan, 0, sim.Time.GetUtcNow()), Upload(sim, plan, 1, sim.Time.GetUtcNow()), backDated);

        Assert.That(result.Failure?.Index, Is.EqualTo(store.Count + 3), result.Failure?.ToString());
        Assert.That(result.Failure?.What, Is.EqualTo("time order"));
        Assert.That(result.Failure?.Why, Does.Contain("upload by 'site-03'")
            .And.Contain(LogEntry.FormatTime(backDated.Time))
            .And.Contain(LogEntry.FormatTime(opened.Time))
            .And.Contain($"before its own round 1's round-opened entry {store.Count}")
            .And.Contain("5-minute"));
    }

    [Test]
    public void Append_BackDatedUpload_IsRefusedByTheLog()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2, minSites: 3);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        sim.Time.Advance(TimeSpan.FromHours(1));
        log.Append(Open(sim, plan));

        var refused = Assert.Throws<InvalidOperationException>(() => log.Append(Upload(sim, plan, 0, sim.Time.GetUtcNow().AddMinutes(-30))));

        Assert.That(refused!.Message, Does.Contain("time order"));
    }

    [Test]
    public void Verify_UploadWithinSkewTolerance_Verifies()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2, minSites: 3);
        using var store = new MemoryLogStore();
        sim.StartLog(store, plan);
        var opened = Open(sim, plan);
        var slowClock = opened.Time - LogTimeRule.ClockSkewTolerance + TimeSpan.FromSeconds(1);

        var result = Forged(sim, store, opened, Upload(sim, plan, 0, slowClock), Upload(sim, plan, 1, sim.Time.GetUtcNow()), Upload(sim, plan, 2, slowClock));

        Assert.That(result.Failure, Is.Null, result.Failure?.ToString());
    }

    [Test]
    public void Verify_ApprovalsSignedDaysBeforeTheLogStarted_Verify()
    {
        // hfed plan approve signs on the admin's machine; the aggregator logs the approval files when it starts.
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2, minSites: 3);
        var approvedAt = sim.Time.GetUtcNow();
        var approvals = sim.Admins.Take(2).Select(a => LogEntry.Sign(a, plan.Id, LogEntries.Approval(), approvedAt)).ToList();
        sim.Time.Advance(TimeSpan.FromDays(2));
        using var store = new MemoryLogStore();
        var log = new RoundLog(store, sim.Root, sim.Revocation, sim.Time);
        log.AppendSigned(sim.Aggregator, LogEntries.Consortium(sim.Config), plan.Id);
        log.AppendSigned(sim.Aggregator, LogEntries.PlanProposed(plan));
        approvals.ForEach(a => log.Append(a));
        foreach (var site in sim.Sites)
        {
            log.Append(LogEntry.Sign(site, plan.Id, LogEntries.SiteDecision(true, []), sim.Time.GetUtcNow()));
        }

        sim.RunRound(log, plan, 1, ConsortiumSimulation.InitialModel, []);

        var result = new LogVerifier(sim.Root, sim.Revocation).Verify([.. store.ReadAll()]);

        Assert.That(result.Failure, Is.Null, result.Failure?.ToString());
    }

    [Test]
    public void Verify_AggregatorEntryBackDatedBelowAnUpload_FailsAtThatEntry()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2, minSites: 3);
        using var store = new MemoryLogStore();
        sim.StartLog(store, plan);
        var opened = Open(sim, plan);
        var uploads = Enumerable.Range(0, 3).Select(i => Upload(sim, plan, i, sim.Time.GetUtcNow().AddHours(1))).ToArray();
        var participants = LogEntry.Sign(sim.Aggregator, plan.Id, LogEntries.Participants(1, sim.Sites.Select(s => s.Name)), sim.Time.GetUtcNow());

        var result = Forged(sim, store, [opened, .. uploads, participants]);

        Assert.That(result.Failure?.Index, Is.EqualTo(store.Count + 4));
        Assert.That(result.Failure?.What, Is.EqualTo("time order"));
        Assert.That(result.Failure?.Why, Does.Contain("participants by 'aggregator'").And.Contain("upload by 'site-0"));
    }

    [Test]
    public void Append_CountersignatureResentAnHourLate_IsAcceptedAndVerifies()
    {
        // A site re-sends its last countersignature when it reconnects (after a crash, say); it
        // keeps the time it was signed at, which may be long before the latest entry by then.
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2, minSites: 3);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        var head = log.SignTreeHead(sim.Aggregator);
        var countersignature = new TreeHeadWitness(sim.Root, sim.Revocation).Countersign(sim.Sites[0], head, [], sim.Time.GetUtcNow());
        sim.Time.Advance(TimeSpan.FromHours(1));
        log.SignTreeHead(sim.Aggregator);

        log.Append(countersignature);
        var result = new LogVerifier(sim.Root, sim.Revocation).Verify([.. store.ReadAll()]);

        Assert.That(result.Failure, Is.Null, result.Failure?.ToString());
        Assert.That(result.Summary.Countersignatures, Is.EqualTo(1));
    }

    private static LogEntry Open(ConsortiumSimulation sim, TrainingPlan plan) =>
        LogEntry.Sign(sim.Aggregator, plan.Id, LogEntries.RoundOpened(1, ConsortiumSimulation.InitialModel, sim.Sites.Select(s => s.Name), sim.Time.GetUtcNow().AddMinutes(10)), sim.Time.GetUtcNow());

    private static LogEntry Upload(ConsortiumSimulation sim, TrainingPlan plan, int site, DateTimeOffset time) =>
        LogEntry.Sign(sim.Sites[site], plan.Id, LogEntries.Upload(1, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"upload {site}"))), 4096), time);

    private static AuditResult Forged(ConsortiumSimulation sim, MemoryLogStore store, params LogEntry[] extra)
    {
        var file = LogForger.Rebuild(sim, [.. store.ReadAll().Select(l => LogLine.Decode(l, out _)), .. extra]);
        return new LogVerifier(sim.Root, sim.Revocation).Verify(LogVerifier.SplitLines(file));
    }
}
