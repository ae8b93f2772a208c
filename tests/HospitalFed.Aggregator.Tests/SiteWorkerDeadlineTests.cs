using Grpc.Core;
using HospitalFed.Protocol.V1;
using HospitalFed.Site.Worker;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// An aggregator that accepts the connection but never answers must cost a site a bounded wait,
/// reported as DEADLINE_EXCEEDED and retried, never a hang; and a stop by the host is logged as a
/// stop, not as a deadline.
/// </summary>
[TestFixture]
public sealed class SiteWorkerDeadlineTests
{
    private const int ReconnectingEvent = 2002;
    private const int DeadlineExceededEvent = 2013;
    private const int StoppedEvent = 2014;

    [TestCase(false, TestName = "Worker_AggregatorNeverAcceptsTheTaskStream_DeadlineExceededLoggedAndRetriedThenStopsOnCancel")]
    [TestCase(true, TestName = "Worker_AggregatorAcceptsButNeverSendsATask_DeadlineExceededLoggedAndRetriedThenStopsOnCancel")]
    public async Task Worker_SilentAggregator_DeadlineExceededLoggedAndRetried(bool sendHeaders)
    {
        // Arrange: a Federation service that holds every task stream open without a word.
        using var federation = new InProcessFederation(rounds: 2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var silent = new SilentFederation(sendHeaders);
        await using var host = await FederationHost.StartAsync(federation, silent, timeout.Token);
        var site = federation.Agents.Keys.Order(StringComparer.Ordinal).First();
        var secondDeadline = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logger = new RecordingLogger<SiteWorker>
        {
            Logged = l =>
            {
                if (l.Events.Count(e => e.Id == DeadlineExceededEvent) >= 2)
                {
                    secondDeadline.TrySetResult();
                }
            },
        };
        var worker = new SiteWorker(federation.Agents[site], host.Channel(site), federation.Plan.Id, logger: logger)
        {
            Deadlines = new SiteCallDeadlines { Subscribe = TimeSpan.FromSeconds(2), TaskIdle = TimeSpan.FromSeconds(2) },
            Reconnect = new SiteReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) },
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);

        // Act: run until two deadlines expired (the first connection's TLS set-up may take one), then stop as a host would.
        var running = worker.RunAsync(stop.Token);
        await secondDeadline.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await silent.NextSubscription().WaitAsync(TimeSpan.FromSeconds(30)); // stopped mid-call, the hardest moment
        await stop.CancelAsync();
        var ending = await running.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => t, TaskScheduler.Default);

        // Assert
        var events = logger.Events;
        Assert.Multiple(() =>
        {
            Assert.That(ending.IsCanceled, Is.True, "a host stop ends the run as cancelled");
            Assert.That(events.Count(e => e.Id == DeadlineExceededEvent), Is.GreaterThanOrEqualTo(2));
            Assert.That(events.Where(e => e.Id == DeadlineExceededEvent).Select(e => e.Text), Has.Some.Contain(sendHeaders ? "next task" : "opening"));
            Assert.That(events.Count(e => e.Id == ReconnectingEvent), Is.GreaterThanOrEqualTo(1));
            Assert.That(silent.Subscriptions, Is.GreaterThanOrEqualTo(1), "the calls reached the silent service");
            Assert.That(events.Count(e => e.Id == StoppedEvent), Is.EqualTo(1));
            Assert.That(events[^1].Id, Is.EqualTo(StoppedEvent), "the stop is the last word, not a deadline");
        });
    }

    private sealed class SilentFederation(bool sendHeaders) : Federation.FederationBase
    {
        private readonly Lock _gate = new();
        private int _subscriptions;
        private TaskCompletionSource? _next;

        public int Subscriptions => Volatile.Read(ref _subscriptions);

        /// <summary>Completes when the next task stream opens on the server.</summary>
        public Task NextSubscription()
        {
            lock (_gate)
            {
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _next.Task;
            }
        }

        public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<SiteTask> responseStream, ServerCallContext context)
        {
            Interlocked.Increment(ref _subscriptions);
            lock (_gate)
            {
                _next?.TrySetResult();
            }

            if (sendHeaders)
            {
                await context.WriteResponseHeadersAsync([]);
            }

            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
    }
}
