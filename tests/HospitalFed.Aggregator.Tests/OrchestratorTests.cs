using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class OrchestratorTests
{
    [Test]
    public void Plan_FourHospitalsPairwiseMasked_TrainsToPooledAccuracyAndVerifiableLog()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 16);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History, Has.Count.EqualTo(16));
        Assert.That(orchestrator.History.All(r => r.Contributors.Count == 4), Is.True);
        var last = orchestrator.History[^1];
        TestContext.Out.WriteLine($"pooled test accuracy of round 15's model: {last.Metrics["accuracy"]:F3}");
        Assert.That(last.Metrics["accuracy"], Is.GreaterThanOrEqualTo(0.75));
        Assert.That(federation.Agents.Values.All(a => a.PlanCompleted && a.ModelDigest == last.ModelDigest), Is.True);
        var lines = federation.Log.Size;
        var verdict = new LogVerifier(federation.Consortium.Root, federation.Consortium.Revocation)
            .Verify([.. Enumerable.Range(0, (int)lines).Select(i => LogLine.Encode(federation.Log.Entry(i), i))]);
        Assert.That(verdict.Ok, Is.True, verdict.Failure?.ToString());
    }
}
