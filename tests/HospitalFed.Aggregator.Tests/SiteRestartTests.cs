using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Protocol.V1;
using HospitalFed.Site.Rounds;

namespace HospitalFed.Aggregator.Tests;

/// <summary>A site agent rebuilt from its saved <see cref="HospitalFed.Site.State.SitePlanState"/>, as after a site restart.</summary>
[TestFixture]
public sealed class SiteRestartTests
{
    [Test]
    public void Agent_RestartedAfterThePlan_ReplaysItsSignedDecisionAndKeepsItsLastRound()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3, sitesDecideOnline: true);
        federation.Orchestrator.Start();
        federation.ConnectAll();
        var offer = federation.Delivered.First(o => o.Recipient == "site-01" && o.Task.TaskCase == SiteTask.TaskOneofCase.PlanOffer).Task;
        var before = federation.Agents["site-01"];

        // Act
        using var restarted = new SiteAgent(federation.AgentContexts["site-01"], federation.Consortium.Time, state: before.State);
        var decision = restarted.Handle(offer);

        // Assert: the same signed entry, not a new decision; the plan is over for it.
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed));
        Assert.That(decision.Messages.Single().SiteDecision.ToStringUtf8(), Is.EqualTo(before.State!.Decision));
        Assert.That((restarted.LastCompletedRound, restarted.ModelDigest, restarted.PlanEnded), Is.EqualTo((3L, federation.Job.Digest(), true)));
        Assert.That(before.State.UnmaskedRounds, Is.EqualTo(3));
    }

    [Test]
    public void Agent_RestartedMidPlan_DeclinesARoundItAlreadyJoined()
    {
        // Arrange: site-01 joined round 2, then its process restarted.
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 2 && federation.Orchestrator.Phase == OrchestratorPhase.SharingKeys;
        federation.ConnectAll();
        var invitation = federation.Delivered.Last(o => o.Recipient == "site-01" && o.Task.TaskCase == SiteTask.TaskOneofCase.Invitation).Task;
        using var restarted = new SiteAgent(federation.AgentContexts["site-01"], federation.Consortium.Time, state: federation.Agents["site-01"].State);

        // Act: the same round offered again (a replayed or rolled-back aggregator).
        var reply = restarted.Handle(invitation);

        // Assert
        Assert.That(invitation.Invitation.Round, Is.EqualTo(2));
        Assert.That(reply.Messages.Single().MessageCase, Is.EqualTo(SiteMessage.MessageOneofCase.Decline));
        Assert.That(restarted.LastRefusal, Does.Contain("not after round 2"));
        Assert.That(restarted.LastCompletedRound, Is.EqualTo(1));
    }

    [Test]
    public void Agent_UnmaskedAsManyRoundsAsThePlanHas_DeclinesAnyFurtherRound()
    {
        // Arrange: the site has let four sums be unmasked (the plan's three and the spare), yet is invited again.
        using var federation = new InProcessFederation(rounds: 3);
        federation.Orchestrator.Start();
        federation.StopWhen = () => federation.Orchestrator.Round == 2;
        federation.ConnectAll();
        var invitation = federation.Lost.First(o => o.Recipient == "site-01" && o.Task.TaskCase == SiteTask.TaskOneofCase.Invitation).Task.Clone();
        invitation.Invitation.Round = 5;
        var spent = federation.Agents["site-01"].State! with { LastJoinedRound = 4, UnmaskedRounds = 4 };
        using var restarted = new SiteAgent(federation.AgentContexts["site-01"], federation.Consortium.Time, state: spent);

        // Act
        var reply = restarted.Handle(invitation);

        // Assert
        Assert.That(reply.Messages.Single().MessageCase, Is.EqualTo(SiteMessage.MessageOneofCase.Decline));
        Assert.That(restarted.LastRefusal, Does.Contain("unmask requests in 4 rounds"));
    }
}
