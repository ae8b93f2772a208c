using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class OrchestratorFaultTests
{
    [Test]
    public void Start_OneApprovalOfTwo_RefusesToStart()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2, approvals: 1);

        // Act
        var refusal = Assert.Throws<OrchestratorException>(federation.Orchestrator.Start);

        // Assert
        Assert.That(refusal!.Message, Does.Contain("1 valid approvals of the 2 required"));
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Created));
        Assert.That(federation.Orchestrator.Connect("site-01"), Is.Empty);
    }

    [Test]
    public void Start_PlanWithPerRoundApproval_IsRefusedCleanly()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        var plan = HospitalFed.Ledger.Simulation.ConsortiumSimulation.Plan(rounds: 2, perRoundApproval: true);
        var context = new OrchestratorContext(plan, federation.Job, federation.Log, federation.Consortium.Aggregator,
            new ApprovalPolicy(federation.Consortium.Config, federation.Consortium.Root, federation.Consortium.Revocation), federation.Trust,
            new OrchestratorOptions { Sites = ["site-01", "site-02", "site-03"] });
        using var orchestrator = new Orchestrator(context, federation.Consortium.Time);

        // Act
        var refusal = Assert.Throws<OrchestratorException>(orchestrator.Start);

        // Assert
        Assert.That(refusal!.Message, Does.Contain("per-round approvals"));
    }

    [Test]
    public void Round_SiteCrashesBeforeMaskedInput_CompletesWithoutItAndLogsDropout()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.CrashAt["site-04"] = SiteTask.TaskOneofCase.Shares;
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();
        federation.ExpireDeadline();

        // Assert: round 1 completes by recovering site-04's pairwise masks; round 2 opens without site-04's input.
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.History, Is.Not.Empty, orchestrator.FailureReason);
        Assert.That(orchestrator.History[0].Contributors, Is.EqualTo(new[] { "site-01", "site-02", "site-03" }));
        Assert.That(orchestrator.History[0].Dropped, Is.EqualTo(new[] { "site-04" }));
        Assert.That(Entries(federation).Any(e => e.Kind == LogEntryKind.Dropout && e.Body["site"]!.GetValue<string>() == "site-04"), Is.True);
    }

    [Test]
    public void Round_SiteCrashesAfterMaskedInput_IncludesItsInputByUnmasking()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.CrashAt["site-02"] = SiteTask.TaskOneofCase.Survivors;
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();
        federation.ExpireDeadline();

        // Assert: site-02's masked input arrived, so it is in the sum; its self-mask is removed from the others' shares.
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.History, Is.Not.Empty, orchestrator.FailureReason);
        Assert.That(orchestrator.History[0].Contributors, Has.Member("site-02").And.Count.EqualTo(4));
        Assert.That(Learning.Features.FeatureStatistics.ReadFrom([.. federation.Job.FeatureStatistics]).Counts[0], Is.EqualTo(federation.Centres.Sum(c => c.Train.Rows)));
    }

    [Test]
    public void Round_TwoSitesCrash_RoundAbortedAndPlanResumesUnderTheNextNumber()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.CrashAt["site-03"] = SiteTask.TaskOneofCase.Invitation;
        federation.CrashAt["site-04"] = SiteTask.TaskOneofCase.Invitation;
        federation.Orchestrator.Start();

        // Act: round 1 loses two of four sites (t = 3); then the two restarted processes reconnect.
        federation.ConnectAll();
        federation.ExpireDeadline();
        var phaseAfterAbort = federation.Orchestrator.Phase;
        var waiting = federation.Orchestrator.WaitingReason;
        var survivorEnded = federation.Agents["site-01"].PlanEnded;
        var survivorRefusal = federation.Agents["site-01"].LastRefusal;
        federation.CrashAt.Clear();
        federation.Crashed.Clear();
        federation.RestartAgent("site-03");
        federation.RestartAgent("site-04");
        federation.Pump(new Queue<Outgoing>(federation.Orchestrator.Connect("site-03")));
        for (var i = 0; i < 5 && federation.Orchestrator.Phase != OrchestratorPhase.Completed; i++)
        {
            federation.ExpireDeadline();
        }

        // Assert: round 1 is logged aborted without a model, nobody ended the plan, rounds 2 and 3 complete.
        Assert.That(phaseAfterAbort, Is.EqualTo(OrchestratorPhase.WaitingForSites));
        Assert.That(waiting, Does.StartWith("round 1 aborted"));
        Assert.That(survivorEnded, Is.False, "a surviving site waits for the next round");
        Assert.That(survivorRefusal, Does.Contain("aborted"));
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History.Select(r => r.Round), Is.EqualTo(new[] { 2L, 3L }));
        Assert.That(orchestrator.History[0].Contributors, Has.Count.EqualTo(4));
        var entries = Entries(federation);
        Assert.That(entries.Single(e => e.Kind == LogEntryKind.RoundAborted).Round, Is.EqualTo(1));
        Assert.That(entries.Any(e => e.Kind == LogEntryKind.Model && e.Round == 1), Is.False);
    }

    [Test]
    public void Receive_MessageSignedInAnotherSitesName_IsRefused()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 2);
        federation.Orchestrator.Start();
        var invitations = federation.Agents.Keys.SelectMany(federation.Orchestrator.Connect).ToList();
        var forged = federation.Agents["site-01"].Handle(invitations.First(o => o.Recipient == "site-01").Task).Messages[0];

        // Act
        var refusal = Assert.Throws<OrchestratorException>(() => federation.Orchestrator.Receive("site-02", forged));

        // Assert
        Assert.That(refusal!.Message, Does.Contain("in the name of 'site-01'"));
    }

    [Test]
    public void Invitation_SitePolicyCapsRounds_SiteDeclinesAndRoundProceeds()
    {
        // Arrange: every site refuses plans over 1 round, so site-level policy stops the plan before any data is used.
        using var federation = new InProcessFederation(rounds: 2, policy: new SitePolicy(null, null, null, MaxRounds: 1));
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();
        federation.ExpireDeadline();

        // Assert
        Assert.That(federation.Agents.Values.All(a => a.LastRefusal is not null && a.LastRefusal.Contains("round", StringComparison.Ordinal)), Is.True);
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.WaitingForSites), "the round aborted; the aggregator stays up");
        Assert.That(federation.Orchestrator.WaitingReason, Does.Match(@"^round \d+ aborted: U1 \(sites that advertised keys\) has 0 members"));
        // Round 1 closed as soon as all four declined; the join deadline then opened round 2, declined alike.
        Assert.That(Entries(federation).Count(e => e.Kind == LogEntryKind.Dropout), Is.EqualTo(8));
    }

    private static List<LogEntry> Entries(InProcessFederation federation) =>
        [.. Enumerable.Range(0, (int)federation.Log.Size).Select(i => federation.Log.Entry(i))];
}
