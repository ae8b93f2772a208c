using HospitalFed.Aggregator.Hosting;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Site.Worker;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class RoundMetricsLogTests
{
    private const int RoundMetricsEvent = 1022;

    [Test]
    public async Task Runner_TrainingRoundsComplete_LogsEachRoundsPooledAucBalancedAccuracyAndCalibrationOnce()
    {
        // Arrange: statistics, then three training rounds, served over loopback.
        using var federation = new InProcessFederation(rounds: 4);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var logger = new RecordingLogger<OrchestratorRunner>();
        await using var host = await FederationHost.StartAsync(federation, cts.Token, logger: logger);
        var channels = federation.Agents.Keys.Select(name => host.Channel(name)).ToList();

        // Act
        var workers = federation.Agents.Values.Zip(channels, (agent, channel) => new SiteWorker(agent, channel, federation.Plan.Id).RunAsync(cts.Token));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        await host.Runner.Finished.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert: one line per training round, carrying the figures of that round's record.
        var training = federation.Orchestrator.History.Where(r => r.Metrics.ContainsKey("auc")).ToList();
        var logged = logger.Events.Where(e => e.Id == RoundMetricsEvent).ToList();
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        Assert.That(training, Has.Count.EqualTo(3));
        Assert.That(logged.Select(e => (long)e.Fields["Round"]!), Is.EqualTo(training.Select(r => r.Round)));
        Assert.Multiple(() =>
        {
            foreach (var (round, line) in training.Zip(logged))
            {
                Assert.That((double)line.Fields["Auc"]!, Is.EqualTo(round.Metrics["auc"]));
                Assert.That((double)line.Fields["AucErrorBound"]!, Is.EqualTo(round.Metrics["auc_error_bound"]));
                Assert.That((double)line.Fields["BalancedAccuracy"]!, Is.EqualTo(round.Metrics["balanced_accuracy"]));
                Assert.That((double)line.Fields["Ece"]!, Is.EqualTo(round.Metrics["ece"]));
                Assert.That((long)line.Fields["TestRows"]!, Is.EqualTo((long)round.Metrics["test_rows"]));
                Assert.That(line.Text, Does.Contain("AUC 0.").And.Contain("Brier").And.Contain("log loss"));
            }
        });
    }
}
