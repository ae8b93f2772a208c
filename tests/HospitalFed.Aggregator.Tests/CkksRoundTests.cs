using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Audit;

namespace HospitalFed.Aggregator.Tests;

/// <summary>CKKS protection through the orchestrator and four site agents: set-up, rounds, dropouts and refused shares.</summary>
[TestFixture]
public sealed class CkksRoundTests
{
    [Test]
    public void Plan_Ckks_SetsUpKeysTrainsAndTheLogVerifies()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 8, protection: "ckks", sitesDecideOnline: true);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History, Has.Count.EqualTo(8));
        Assert.That(orchestrator.History.All(r => r.Contributors.Count == 4), Is.True);
        Assert.That(orchestrator.History[^1].Metrics["accuracy"], Is.GreaterThan(0.7));
        Assert.That(federation.Agents.Values.All(a => a.PlanCompleted && a.ModelDigest == orchestrator.History[^1].ModelDigest), Is.True);
        Assert.That(new LogVerifier(federation.Consortium.Root, federation.Consortium.Revocation).Verify(federation.LogLines).Ok, Is.True);
    }
}
