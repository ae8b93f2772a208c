using System.Runtime.InteropServices;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Metrics;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Aggregator.Tests;

/// <summary>The training rounds' metrics through pairwise masking, against the same metrics on the pooled test rows.</summary>
[TestFixture]
public sealed class SecureMetricsTests
{
    [Test]
    public void Round_PairwiseMasked_ReportsTheAucOfThePooledTestRowsWithinItsBound()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 4);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert: recompute round 4's incoming model's predictions on every hospital's test rows.
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        var invitation = federation.Invitations.Single(i => i.Round == 4);
        var plan = TrainingPlan.Parse(invitation.Plan.Span);
        var pipeline = new FeaturePipeline(federation.Schema);
        var model = plan.Training.Model.Create(pipeline.FeatureCount);
        var parameters = MemoryMarshal.Cast<byte, float>(invitation.GlobalModel.Span).ToArray();
        var statistics = FeatureStatistics.ReadFrom([.. invitation.FeatureStatistics]);
        var scores = new List<float>();
        var labels = new List<float>();
        foreach (var centre in federation.Centres)
        {
            var test = pipeline.Transform(centre.Test, statistics);
            var p = new float[test.Rows];
            model.Predict(parameters, test.Features, test.Rows, p, model.CreateWorkspace(test.Rows));
            scores.AddRange(p);
            labels.AddRange(test.Targets);
        }

        var metrics = orchestrator.History[^1].Metrics;
        var logged = Enumerable.Range(0, (int)federation.Log.Size).Select(i => federation.Log.Entry(i)).Single(e => e.Kind == LogEntryKind.Metrics && e.Round == orchestrator.History[^1].Round);
        Assert.Multiple(() =>
        {
            Assert.That(metrics["test_rows"], Is.EqualTo(labels.Count));
            Assert.That(Math.Abs(metrics["auc"] - BinaryMetrics.AucRoc([.. scores], [.. labels])), Is.LessThanOrEqualTo(metrics["auc_error_bound"]));
            Assert.That(metrics["auc_error_bound"], Is.LessThan(0.01));
            Assert.That(metrics["balanced_accuracy"], Is.EqualTo(BinaryMetrics.BalancedAccuracy([.. scores], [.. labels])).Within(1e-9));
            Assert.That(metrics["brier"], Is.EqualTo(BinaryMetrics.Brier([.. scores], [.. labels])).Within(1e-3));
            Assert.That(metrics["log_loss"], Is.EqualTo(BinaryMetrics.LogLoss([.. scores], [.. labels])).Within(1e-3));
            Assert.That(logged.Body["values"]!["auc"]!.GetValue<double>(), Is.EqualTo(metrics["auc"]));
            Assert.That(logged.Body["values"]!["ece"]!.GetValue<double>(), Is.EqualTo(metrics["ece"]));
            Assert.That(logged.Body["values"]!["calibration 0.9-1.0 rows"]!.GetValue<double>(), Is.EqualTo(scores.Count(s => s >= 0.9f)));
        });
    }
}
