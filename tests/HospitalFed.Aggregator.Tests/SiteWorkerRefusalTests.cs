using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Site.Worker;
using HospitalFed.Transport.Federation;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// A site whose answers can never be delivered (here: its channel's send limit is below every
/// answer, so each call fails locally with ResourceExhausted) must say so once per round as an
/// error and sit the rounds out on its open task stream, not reconnect in a loop; the plan
/// completes with the other sites.
/// </summary>
[TestFixture]
public sealed class SiteWorkerRefusalTests
{
    private const int NotDeliveredEvent = 2006;
    private const int ConnectedEvent = 2001;
    private const int ReconnectingEvent = 2002;

    [Test]
    public async Task Worker_AnswersRefusedByItsOwnSendLimit_LogsAnErrorStaysConnectedAndThePlanCompletesWithoutIt()
    {
        // Arrange: four sites, plan minimum three; the joins wait at most 20 stepped seconds.
        using var federation = new InProcessFederation(rounds: 2, minSites: 3, phaseTimeout: TimeSpan.FromSeconds(20));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var host = await FederationHost.StartAsync(federation, cts.Token, maxMessageBytes: FederationLimits.MaxTaskMessageBytes);
        var faulty = federation.Agents.Keys.Order(StringComparer.Ordinal).First();
        var logger = new RecordingLogger<SiteWorker>();
        var channels = federation.Agents.Keys.ToDictionary(name => name, name => host.Channel(name, options =>
        {
            options.MaxReceiveMessageSize = FederationLimits.MaxTaskMessageBytes;
            // room for the subscription request, none for a signed answer
            options.MaxSendMessageSize = name == faulty ? 160 : 4 * 1024 * 1024;
        }));

        // Act
        var workers = federation.Agents.Select(pair => new SiteWorker(
            pair.Value, channels[pair.Key], federation.Plan.Id, logger: pair.Key == faulty ? logger : null).RunAsync(cts.Token));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120));
        await host.Runner.Finished.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        var seen = logger.Events;
        Assert.Multiple(() =>
        {
            Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
            Assert.That(federation.Orchestrator.History, Has.Count.EqualTo(2));
            Assert.That(federation.Orchestrator.History.Select(r => r.Contributors), Has.All.Not.Contains(faulty));
            Assert.That(seen.Count(e => e.Id == NotDeliveredEvent && e.Level == LogLevel.Error), Is.GreaterThanOrEqualTo(1));
            Assert.That(seen.Count(e => e.Id == ConnectedEvent), Is.EqualTo(1), "one connection for the whole plan");
            Assert.That(seen.Count(e => e.Id == ReconnectingEvent), Is.Zero);
        });
        Assert.That(async () => await host.Ticking.WaitAsync(TimeSpan.FromSeconds(10)), Throws.Nothing);
    }
}
