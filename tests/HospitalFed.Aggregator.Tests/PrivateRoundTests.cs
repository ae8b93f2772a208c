using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Jobs;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// Plans with differential privacy through the real orchestrator and site agents (docs/privacy.md):
/// round 1 pools nothing, every training round is charged in the log before its noised sum is
/// decoded, and the plan stops before its budget would be exceeded.
/// </summary>
[TestFixture]
public sealed class PrivateRoundTests
{
    [Test]
    public void Run_PrivacyPlan_OneSpendPerTrainingRoundNoMetricsAuditWithinBudget()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 4, planEdit: Privacy(epsilon: 3));
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        var entries = federation.Entries();
        var spends = entries.Where(e => e.Kind == LogEntryKind.PrivacySpend).ToList();
        Assert.That(spends.Select(e => e.Round), Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(spends.Select(e => e.Body["contributors"]!.GetValue<int>()), Is.All.EqualTo(4));
        foreach (var spend in spends)
        {
            var aggregate = entries.FindIndex(e => e.Kind == LogEntryKind.Aggregate && e.Round == spend.Round);
            Assert.That(entries.IndexOf(spend), Is.LessThan(aggregate), $"round {spend.Round} is charged before its aggregate");
        }

        Assert.That(entries.Where(e => e.Kind == LogEntryKind.Metrics), Is.Empty);
        Assert.That(orchestrator.History.Select(r => r.Metrics.Count), Is.All.Zero);
        Assert.That(federation.Agents.Values.Select(a => a.ModelDigest), Is.All.EqualTo(federation.Job.Digest()));
        var audit = federation.Verify();
        Assert.That(audit.Failure, Is.Null);
        Assert.That(audit.Summary.PrivacyRounds, Is.EqualTo(3));
        Assert.That(audit.Summary.SpentEpsilon, Is.GreaterThan(0).And.LessThanOrEqualTo(3));
        Assert.That(audit.Summary.SpentRho, Is.EqualTo(spends[^1].Body["spentRho"]!.GetValue<double>()));
    }

    [Test]
    public void Run_PrivacyPlan_RoundOneStatisticsArePublicAndTrainingMovesTheModel()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3, planEdit: Privacy(epsilon: 50));
        federation.Orchestrator.Start();
        var initial = federation.Job.GlobalModel.ToArray();

        // Act
        federation.ConnectAll();

        // Assert: the statistics sent to the sites are the schema's public ones, not pooled sums.
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        var expected = new double[new Learning.Features.FeaturePipeline(federation.Schema).PublicStatistics().VectorLength];
        new Learning.Features.FeaturePipeline(federation.Schema).PublicStatistics().WriteTo(expected);
        Assert.That(federation.Job.FeatureStatistics, Is.EqualTo(expected));
        var training = federation.Invitations.Where(i => i.Kind == RoundKind.Training).ToList();
        Assert.That(training.Select(i => i.Quantization.Single().Name), Is.All.EqualTo(SupervisedJob.PrivateWordsSegment));
        Assert.That(training.Select(i => i.Quantization.Single().Length), Is.All.EqualTo(16), "14 parameters padded to 16 words");
        Assert.That(federation.Job.GlobalModel, Is.Not.EqualTo(initial));
    }

    [Test]
    public void Restore_PrivacyPlanCrashedMidRound_RecomputesTheSpendFromTheLogAndCompletesWithinBudget()
    {
        // Arrange: round 3 is collecting its masked inputs (not yet charged) when the aggregator dies.
        using var federation = new InProcessFederation(rounds: 4, planEdit: Privacy(epsilon: 3));
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 3 && federation.Orchestrator.Phase == OrchestratorPhase.CollectingInputs;
        federation.ConnectAll();

        // Act
        var restored = federation.Restart();
        federation.ConnectAll();

        // Assert: the new process charged on from the first one's total (one running sum across the restart).
        Assert.That(restored.AbortedRound, Is.EqualTo(3));
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        var spends = federation.Entries().Where(e => e.Kind == LogEntryKind.PrivacySpend).ToList();
        Assert.That(spends.Select(e => e.Round), Is.EqualTo(new long[] { 2, 4, 5 }));
        var rho = spends.Select(e => e.Body["roundRho"]!.GetValue<double>()).ToList();
        Assert.That(spends[^1].Body["spentRho"]!.GetValue<double>(), Is.EqualTo(rho.Sum()).Within(1e-12));
        Assert.That(federation.Verify().Failure, Is.Null);
    }

    [Test]
    public void Restore_ChargedRoundLostInARestart_PlanStopsBeforeItsBudgetIsExceeded()
    {
        // Arrange: minContributors 4 of 4 sites, so every round costs the full calibrated share. The
        // aggregator charged round 3 when its masked inputs were in and died while unmasking: the
        // charge stands (that sum could have been computed), though the round has no aggregate.
        using var federation = new InProcessFederation(rounds: 4, minSites: 4, planEdit: Privacy(epsilon: 3));
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 3 && federation.Orchestrator.Phase == OrchestratorPhase.Unmasking;
        federation.ConnectAll();
        Assert.That(federation.Entries().Where(e => e.Kind == LogEntryKind.PrivacySpend).Select(e => e.Round), Is.EqualTo(new long[] { 2, 3 }), "charged before unmasking");

        // Act
        federation.Restart();
        federation.ConnectAll();

        // Assert: rounds 4 and 5 would need three more charges than the two that fit.
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Failed));
        Assert.That(orchestrator.FailureReason, Does.Contain("privacy budget").And.Contain("beyond the 3 approved"));
        var entries = federation.Entries();
        Assert.That(entries.Where(e => e.Kind == LogEntryKind.PrivacySpend).Select(e => e.Round), Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(entries.Where(e => e.Kind == LogEntryKind.Model).Select(e => e.Round), Is.EqualTo(new long[] { 1, 2, 4 }));
        var audit = federation.Verify();
        Assert.That(audit.Failure, Is.Null);
        Assert.That(audit.Summary.SpentEpsilon, Is.LessThanOrEqualTo(3));
    }

    [Test]
    public void Run_PrivacyRoundWithTooFewInputs_AbortedWithoutChargeOrRelease()
    {
        // Arrange: in round 2 (the first training round) two of four sites vanish before their masked input; m = 3.
        using var federation = new InProcessFederation(rounds: 3, planEdit: Privacy(epsilon: 3));
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 2 && federation.Orchestrator.Phase == OrchestratorPhase.AdvertisingKeys;
        federation.ConnectAll();
        federation.StopWhen = null;
        federation.CrashAt["site-03"] = SiteTask.TaskOneofCase.Shares;
        federation.CrashAt["site-04"] = SiteTask.TaskOneofCase.Shares;
        var pending = new Queue<Outgoing>(federation.Lost);
        federation.Lost.Clear();

        // Act
        federation.Pump(pending);
        federation.ExpireDeadline();

        // Assert
        var entries = federation.Entries();
        Assert.That(entries.Where(e => e.Round == 2).Select(e => e.Kind), Has.Member(LogEntryKind.RoundAborted)
            .And.None.EqualTo(LogEntryKind.PrivacySpend).And.None.EqualTo(LogEntryKind.Aggregate).And.None.EqualTo(LogEntryKind.Model));
        Assert.That(federation.Orchestrator.History, Has.Count.EqualTo(1));
        Assert.That(federation.Verify().Failure, Is.Null);
    }

    [Test]
    public void Create_PrivacyPlanUnderCkks_RefusedNamingTheProtection()
    {
        using var federation = new InProcessFederation(rounds: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 3, protection: "ckks", privacy: new JsonObject { ["clipNorm"] = 1.0, ["delta"] = 1e-5, ["epsilon"] = 3.0 });

        var ex = Assert.Throws<FormatException>(() => FederatedJobs.Create(plan, federation.Schema));

        Assert.That(ex!.Message, Does.Contain("differential privacy under ckks").And.Contain("pairwise masking only"));
    }

    [Test]
    public void Run_PrivacyRound_ChargedBeforeAnySiteIsAskedToUnmask()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3, planEdit: Privacy(epsilon: 3));
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 2 && federation.Orchestrator.Phase == OrchestratorPhase.CheckingConsistency;

        // Act
        federation.ConnectAll();

        // Assert: the survivors are known and charged; no unmask request has gone out yet.
        var round = federation.Entries().Where(e => e.Round == 2).Select(e => e.Kind).ToList();
        Assert.That(round[^2..], Is.EqualTo(new[] { LogEntryKind.Participants, LogEntryKind.PrivacySpend }));
        Assert.That(federation.Delivered.Where(o => o.Task.TaskCase == SiteTask.TaskOneofCase.Unmask && o.Task.Unmask.Round == 2), Is.Empty);
    }

    [Test]
    public void Offer_PrivacyPlanUnderCkks_SiteDeclinesNamingWhy()
    {
        // Arrange: a site offered a plan with privacy under CKKS (the aggregator would refuse to run it).
        using var federation = new InProcessFederation(rounds: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 3, protection: "ckks", privacy: new JsonObject { ["clipNorm"] = 1.0, ["delta"] = 1e-5, ["epsilon"] = 3.0 });
        var agent = federation.Agents["site-01"];

        // Act
        agent.Handle(new SiteTask { PlanOffer = new PlanOffer { PlanId = plan.Id, Plan = Google.Protobuf.ByteString.CopyFrom(plan.CanonicalBytes) } });

        // Assert
        Assert.That(agent.LastRefusal, Does.Contain("the plan's differential privacy needs pairwise masking in this release; it asks for ckks protection"));
    }

    private static Action<JsonObject> Privacy(double epsilon) =>
        plan => plan["privacy"] = new JsonObject { ["clipNorm"] = 1.0, ["delta"] = 1e-5, ["epsilon"] = epsilon };
}
