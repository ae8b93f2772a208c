using HospitalFed.Site.Worker;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace HospitalFed.Site.Tests.Worker;

[TestFixture]
public sealed class SiteReconnectPolicyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Test]
    public async Task RunAsync_TwoSitesCutOffTogether_DelaySequencesDifferAndStayWithinTheCap()
    {
        // Arrange: two sites whose connections fail 12 times (an aggregator restart), each with its own randomness.
        var first = new SiteReconnectPolicy(new FakeTimeProvider(), new Random(1).NextDouble);
        var second = new SiteReconnectPolicy(new FakeTimeProvider(), new Random(2).NextDouble);

        // Act
        var a = await DelaysAsync(first, failures: 12);
        var b = await DelaysAsync(second, failures: 12);

        // Assert
        Assert.That(a, Has.Count.EqualTo(12));
        Assert.That(b, Has.Count.EqualTo(12));
        Assert.That(a.Zip(b).Count(p => p.First != p.Second), Is.GreaterThanOrEqualTo(8), "the sites come back apart, not in lockstep");
        Assert.That(a.Concat(b), Is.All.InRange(TimeSpan.Zero, first.MaxDelay));
        Assert.That(a[^2..].Concat(b[^2..]), Is.All.EqualTo(first.MaxDelay), "the backoff grows to the cap and stays there");
        Assert.That(Sum(a[..6]), Is.GreaterThan(first.InitialDelay * 8), "the first retries already back off exponentially");
        Assert.That(Sum(b[..6]), Is.GreaterThan(first.InitialDelay * 8), "the first retries already back off exponentially");
    }

    [Test]
    public async Task RunAsync_SameRandomness_SameDelays()
    {
        // Arrange
        var first = new SiteReconnectPolicy(new FakeTimeProvider(), new Random(7).NextDouble);
        var second = new SiteReconnectPolicy(new FakeTimeProvider(), new Random(7).NextDouble);

        // Act
        var a = await DelaysAsync(first, failures: 6);
        var b = await DelaysAsync(second, failures: 6);

        // Assert: the jitter comes only from the injected randomness
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public async Task RunAsync_StreamClosedWithNothingNew_RetriedAndReasonSaysTheAggregatorClosedIt()
    {
        // Arrange
        var policy = new SiteReconnectPolicy(new FakeTimeProvider(), new Random(3).NextDouble);
        var reasons = new List<string>();
        var calls = 0;

        // Act
        var outcome = await DriveAsync(policy, _ => ValueTask.FromResult(++calls < 3 ? ConnectionOutcome.Closed : ConnectionOutcome.Progressed), (reason, _) => reasons.Add(reason));

        // Assert
        Assert.That(outcome, Is.EqualTo(ConnectionOutcome.Progressed));
        Assert.That(reasons, Is.EqualTo(new[] { "the aggregator closed the task stream", "the aggregator closed the task stream" }));
    }

    [Test]
    public void RunAsync_ErrorThatIsNotAConnectionError_IsNotRetried()
    {
        // Arrange
        var policy = new SiteReconnectPolicy(new FakeTimeProvider());
        var calls = 0;

        // Act / Assert
        Assert.That(
            async () => await policy.RunAsync(_ => { calls++; throw new InvalidDataException("corrupt state"); }, (_, _) => { }, CancellationToken.None).AsTask().WaitAsync(Bound),
            Throws.TypeOf<InvalidDataException>());
        Assert.That(calls, Is.EqualTo(1));
    }

    [TestCase(0.0)]
    [TestCase(0.5)]
    [TestCase(0.999)]
    public void NextDeclinedPoll_AnyRandomness_WithinAQuarterOfTheInterval(double random)
    {
        // Arrange
        var policy = new SiteReconnectPolicy(new FakeTimeProvider(), () => random);

        // Act
        var wait = policy.NextDeclinedPoll();

        // Assert
        Assert.That(wait, Is.InRange(policy.DeclinedPollInterval * 0.75, policy.DeclinedPollInterval * 1.25));
    }

    private static async Task<List<TimeSpan>> DelaysAsync(SiteReconnectPolicy policy, int failures)
    {
        var delays = new List<TimeSpan>();
        var calls = 0;
        var outcome = await DriveAsync(
            policy,
            _ => ++calls <= failures ? throw new RpcException(new Status(StatusCode.Unavailable, "Connection refused")) : ValueTask.FromResult(ConnectionOutcome.PlanEnded),
            (_, delay) => delays.Add(delay));
        Assert.That(outcome, Is.EqualTo(ConnectionOutcome.PlanEnded));
        return delays;
    }

    /// <summary>Runs the policy, stepping its fake clock past every delay until it returns (bounded).</summary>
    private static async Task<ConnectionOutcome> DriveAsync(SiteReconnectPolicy policy, Func<CancellationToken, ValueTask<ConnectionOutcome>> connect, Action<string, TimeSpan> onRetry)
    {
        using var cts = new CancellationTokenSource(Bound);
        var time = (FakeTimeProvider)policy.Time;
        var run = policy.RunAsync(connect, onRetry, cts.Token).AsTask();
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(5, cts.Token)).WaitAsync(Bound);
            time.Advance(policy.MaxDelay);
        }

        return await run.WaitAsync(Bound);
    }

    private static TimeSpan Sum(IEnumerable<TimeSpan> delays) => delays.Aggregate(TimeSpan.Zero, (a, b) => a + b);
}
