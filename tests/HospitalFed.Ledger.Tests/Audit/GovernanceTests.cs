using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Audit;

/// <summary>
/// Logs that are structurally perfect (every head and countersignature freshly signed by a
/// malicious aggregator with colluding sites) but break a governance rule: each is caught and named.
/// </summary>
public sealed class GovernanceTests
{
    [Test]
    public void Verify_ApprovalByNonAdmin_FailsAtThatEntry()
    {
        using var sample = new SampleLog();
        var sim = sample.Simulation;
        var entries = LogForger.Entries(sample);
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.Approval);
        entries[index] = LogEntry.Sign(sim.Sites[0], sample.Plan.Id, LogEntries.Approval(), entries[index].Time);

        var result = sample.VerifyFile(LogForger.Rebuild(sim, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.Why, Does.Contain("may not write approval entries"));
    }

    [Test]
    public void Verify_ApprovalByExpiredAdminCertificate_FailsAtThatEntry()
    {
        using var sample = new SampleLog();
        var sim = sample.Simulation;
        using var expired = sim.Issue("admin-2", ConsortiumRole.Admin, TimeSpan.FromMinutes(30));
        sim.Time.Advance(TimeSpan.FromHours(1));
        var entries = LogForger.Entries(sample);
        var index = entries.FindLastIndex(e => e.Kind == LogEntryKind.Approval);
        entries[index] = LogEntry.Sign(expired, sample.Plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow());

        var result = sample.VerifyFile(LogForger.Rebuild(sim, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.What, Is.EqualTo("certificate"));
    }

    [Test]
    public void Verify_ApprovalByAdminRevokedBeforeSigning_FailsAtThatEntry()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        sim.Revoke(sim.Admins[1]);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var log = new RoundLog(store, sim.Root, sim.Revocation, sim.Time);
        log.AppendSigned(sim.Aggregator, LogEntries.Consortium(sim.Config), plan.Id);
        log.AppendSigned(sim.Aggregator, LogEntries.PlanProposed(plan));
        log.Append(LogEntry.Sign(sim.Admins[0], plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow()));
        var revokedApproval = LogEntry.Sign(sim.Admins[1], plan.Id, LogEntries.Approval(), sim.Time.GetUtcNow());

        Assert.Throws<IdentityException>(() => log.Append(revokedApproval), "the aggregator refuses it");
        var file = LogForger.Rebuild(sim, [.. store.ReadAll().Select(l => LogLine.Decode(l, out _)), revokedApproval]);
        var result = new LogVerifier(sim.Root, sim.Revocation).Verify(LogVerifier.SplitLines(file));

        Assert.That(result.Failure?.Index, Is.EqualTo(3));
        Assert.That(result.Failure?.Why, Does.Contain("revoked"));
    }

    [Test]
    public void Verify_AdminRevokedAfterApprovingBeforeTraining_ApprovalStopsCounting()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        sim.Revoke(sim.Admins[1]);
        var open = LogEntry.Sign(sim.Aggregator, plan.Id, LogEntries.RoundOpened(1, ConsortiumSimulation.InitialModel, sim.Sites.Select(s => s.Name), sim.Time.GetUtcNow()), sim.Time.GetUtcNow());

        var refused = Assert.Throws<InvalidOperationException>(() => new RoundLog(store, sim.Root, sim.Revocation, sim.Time).Append(open));
        var result = Forged(sim, store, open);

        Assert.That(refused!.Message, Does.Contain("approvals"));
        Assert.That(result.Failure?.What, Is.EqualTo("approvals"));
        Assert.That(result.Failure?.Why, Does.Contain("1 valid admin approval(s) of the 2 required").And.Contain("revoked"));
        Assert.That(log.Size, Is.EqualTo(store.Count));
    }

    [Test]
    public void Verify_AdminRevokedAfterTrainingStarted_LaterRoundsStillVerify()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        var model = sim.RunRound(log, plan, 1, ConsortiumSimulation.InitialModel, []);
        sim.Revoke(sim.Admins[1]);
        sim.RunRound(log, plan, 2, model, []);

        var result = new LogVerifier(sim.Root, sim.Revocation).Verify([.. store.ReadAll()]);

        Assert.That(result.Failure, Is.Null, result.Failure?.ToString());
        Assert.That(result.Summary.PlanApprovers, Is.EqualTo(new[] { "admin-1", "admin-2" }));
    }

    [Test]
    public void Verify_DuplicateApprovalByOneAdmin_FailsAtTheDuplicate()
    {
        using var sample = new SampleLog();
        var sim = sample.Simulation;
        var entries = LogForger.Entries(sample);
        var index = entries.FindLastIndex(e => e.Kind == LogEntryKind.Approval);
        entries[index] = LogEntry.Sign(sim.Admins[0], sample.Plan.Id, LogEntries.Approval(), entries[index].Time);

        var result = sample.VerifyFile(LogForger.Rebuild(sim, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.Why, Does.Contain("twice"));
    }

    [Test]
    public void Verify_TooFewApprovals_FailsWhenTrainingStarts()
    {
        using var sample = new SampleLog();
        var entries = LogForger.Entries(sample);
        var index = entries.FindLastIndex(e => e.Kind == LogEntryKind.Approval);
        entries.RemoveAt(index);
        var opened = entries.FindIndex(e => e.Kind == LogEntryKind.RoundOpened);

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(opened));
        Assert.That(result.Failure?.What, Is.EqualTo("approvals"));
    }

    [Test]
    public void Verify_RoundLoggedBeforeApproval_Fails()
    {
        using var sample = new SampleLog();
        var entries = LogForger.Entries(sample);
        var approval = entries.FindLastIndex(e => e.Kind == LogEntryKind.Approval);
        var moved = entries[approval];
        entries.RemoveAt(approval);
        entries.Insert(entries.FindIndex(e => e.Kind == LogEntryKind.RoundOpened) + 1, moved);

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.What, Is.EqualTo("approvals"));
        Assert.That(result.Failure?.Why, Does.Contain("training started with 1 valid admin approval(s) of the 2 required"));
    }

    [Test]
    public void Verify_ApprovalReplayedFromAnotherPlan_Fails()
    {
        using var sample = new SampleLog();
        var sim = sample.Simulation;
        var otherPlan = ConsortiumSimulation.Plan(rounds: 7);
        var entries = LogForger.Entries(sample);
        var index = entries.FindLastIndex(e => e.Kind == LogEntryKind.Approval);
        entries[index] = LogEntry.Sign(sim.Admins[2], otherPlan.Id, LogEntries.Approval(), entries[index].Time);

        var result = sample.VerifyFile(LogForger.Rebuild(sim, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.What, Is.EqualTo("plan"));
    }

    [Test]
    public void Verify_RoundBelowMinimumSites_Fails()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2, minSites: 3);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);

        var refused = Assert.Throws<InvalidOperationException>(() => sim.RunRound(log, plan, 1, ConsortiumSimulation.InitialModel, [], dropouts: 1));
        var participants = LogEntry.Sign(sim.Aggregator, plan.Id, LogEntries.Participants(1, ["site-01", "site-02"]), sim.Time.GetUtcNow());
        var result = Forged(sim, store, participants);

        Assert.That(refused!.Message, Does.Contain("minimum sites"));
        Assert.That(result.Failure?.What, Is.EqualTo("minimum sites"));
        Assert.That(result.Failure?.Why, Does.Contain("2 participants"));
    }

    [Test]
    public void Verify_BrokenModelChain_Fails()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        sim.RunRound(log, plan, 1, ConsortiumSimulation.InitialModel, []);
        var open = LogEntry.Sign(sim.Aggregator, plan.Id, LogEntries.RoundOpened(2, new string('0', 64), sim.Sites.Select(s => s.Name), sim.Time.GetUtcNow()), sim.Time.GetUtcNow());

        Assert.Throws<InvalidOperationException>(() => log.Append(open));
        var result = Forged(sim, store, open);

        Assert.That(result.Failure?.What, Is.EqualTo("model chain"));
    }

    [Test]
    public void Verify_PerRoundApprovalMissingForSecondRound_Fails()
    {
        using var sample = new SampleLog(rounds: 2, perRoundApproval: true);
        var entries = LogForger.Entries(sample);
        Assert.That(sample.VerifyFile(sample.File).Ok, Is.True);
        var lastRoundApproval = entries.FindLastIndex(e => e.Kind == LogEntryKind.Approval && e.Round == 2);
        entries.RemoveAt(lastRoundApproval);

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.What, Is.EqualTo("approvals"));
        Assert.That(result.Failure?.Why, Does.Contain("round 2 opened"));
    }

    [Test]
    public void Verify_SiteInvitedWithoutAccepting_Fails()
    {
        using var sample = new SampleLog();
        var sim = sample.Simulation;
        var entries = LogForger.Entries(sample);
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.SiteDecision);
        entries[index] = LogEntry.Sign(sim.Sites[0], sample.Plan.Id, LogEntries.SiteDecision(false, ["epsilon too high"]), entries[index].Time);

        var result = sample.VerifyFile(LogForger.Rebuild(sim, entries));

        Assert.That(result.Failure?.What, Is.EqualTo("site consent"));
        Assert.That(result.Failure?.Why, Does.Contain("site-01"));
    }

    private static AuditResult Forged(ConsortiumSimulation sim, MemoryLogStore store, params LogEntry[] extra) =>
        LogForger.VerifyAppended(sim, store, extra);
}
