using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class PlanOfferTests
{
    [Test]
    public void Plan_SitesDecideWhenOffered_LogsEachSignedDecisionThenCompletes()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3, sitesDecideOnline: true);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        var entries = Enumerable.Range(0, (int)federation.Log.Size).Select(i => federation.Log.Entry(i)).ToList();
        var decisions = entries.Where(e => e.Kind == LogEntryKind.SiteDecision).ToList();
        Assert.That(decisions.Select(d => d.Author), Is.EquivalentTo(federation.Agents.Keys));
        Assert.That(decisions.All(d => d.Body["accept"]!.GetValue<bool>()), Is.True);
        Assert.That(entries.FindIndex(e => e.Kind == LogEntryKind.RoundOpened), Is.GreaterThan(entries.FindLastIndex(e => e.Kind == LogEntryKind.SiteDecision)));
        var verdict = new LogVerifier(federation.Consortium.Root, federation.Consortium.Revocation)
            .Verify([.. entries.Select((e, i) => LogLine.Encode(e, i))]);
        Assert.That(verdict.Ok, Is.True, verdict.Failure?.ToString());
    }

    [Test]
    public void Plan_EverySitePolicyRefuses_NoRoundOpensAndThePlanFailsAtTheJoinDeadline()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3, sitesDecideOnline: true, policy: new SitePolicy(null, null, null, MaxRounds: 2));
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();
        federation.ExpireDeadline();

        // Assert
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Failed));
        Assert.That(federation.Orchestrator.FailureReason, Does.Contain("accepted the plan"));
        var entries = Enumerable.Range(0, (int)federation.Log.Size).Select(i => federation.Log.Entry(i)).ToList();
        Assert.That(entries.Count(e => e.Kind == LogEntryKind.SiteDecision && !e.Body["accept"]!.GetValue<bool>()), Is.EqualTo(4));
        Assert.That(entries.Any(e => e.Kind == LogEntryKind.RoundOpened), Is.False);
        Assert.That(federation.Agents["site-01"].LastRefusal, Does.Contain("round"));
    }
}
