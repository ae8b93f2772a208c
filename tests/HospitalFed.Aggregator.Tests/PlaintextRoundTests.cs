using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Tests;

/// <summary>Protection "none": the plaintext baseline, and the sites' refusal of it by default.</summary>
[TestFixture]
public sealed class PlaintextRoundTests
{
    private static readonly SitePolicy AllowUnprotected = new(null, null, null, null, AllowUnprotected: true);

    [Test]
    public void Plan_UnprotectedAndAllowedBySites_CompletesWithTheSameLogShape()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 6, protection: "none", policy: AllowUnprotected, sitesDecideOnline: true);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History, Has.Count.EqualTo(6));
        Assert.That(orchestrator.History.All(r => r.Contributors.Count == 4), Is.True);
        Assert.That(orchestrator.History[^1].Metrics["accuracy"], Is.GreaterThan(0.7));
        Assert.That(federation.Agents.Values.All(a => a.PlanCompleted && a.ModelDigest == orchestrator.History[^1].ModelDigest), Is.True);
        Assert.That(Entries(federation).Count(e => e.Kind == LogEntryKind.Upload), Is.EqualTo(24));
    }

    [Test]
    public void Plan_UnprotectedWithDefaultSitePolicy_EverySiteRefusesAndNothingIsSent()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3, protection: "none", sitesDecideOnline: true);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Failed));
        Assert.That(orchestrator.Accepted, Is.Empty);
        Assert.That(federation.Agents.Values.All(a => a.LastRefusal!.Contains("allowUnprotected")), Is.True);
        Assert.That(Entries(federation).Any(e => e.Kind == LogEntryKind.Upload), Is.False);
    }

    [Test]
    public void Invitation_UnprotectedToSiteWhosePolicyRefuses_DeclinesWithoutSendingItsUpdate()
    {
        // Arrange: the decision was made under a permissive policy; the agent now runs a strict one.
        using var federation = new InProcessFederation(rounds: 3, protection: "none", policy: AllowUnprotected, sitesDecideOnline: true);
        using var strict = new InProcessFederation(rounds: 3, protection: "none", sitesDecideOnline: true);
        federation.Orchestrator.Start();
        var offers = federation.Agents.Keys.SelectMany(federation.Orchestrator.Connect).ToList();
        var invitation = offers.SelectMany(o => federation.Orchestrator.Receive(o.Recipient, federation.Agents[o.Recipient].Handle(o.Task).Messages[0]))
            .First(o => o.Task.TaskCase == SiteTask.TaskOneofCase.Invitation);
        var strictAgent = strict.Agents[invitation.Recipient];

        // Act
        var reply = strictAgent.Handle(invitation.Task);

        // Assert
        Assert.That(reply.ProtectedInput, Is.Empty);
        Assert.That(reply.Messages.Single().MessageCase, Is.EqualTo(SiteMessage.MessageOneofCase.Decline));
        Assert.That(string.Join(";", reply.Messages[0].Decline.Reasons), Does.Contain("unprotected"));
    }

    private static IEnumerable<LogEntry> Entries(InProcessFederation federation)
    {
        for (long i = 0; i < federation.Log.Size; i++)
        {
            yield return federation.Log.Entry(i);
        }
    }
}
