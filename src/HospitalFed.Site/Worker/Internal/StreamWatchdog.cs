using Grpc.Core;

namespace HospitalFed.Site.Worker.Internal;

/// <summary>
/// Bounds each wait on the task stream (its headers, then every next task) on the worker's clock: a
/// wait that runs out cancels the stream and is reported as DEADLINE_EXCEEDED, never as a stop. A
/// stream is long-lived, so a gRPC deadline on the whole call would be wrong; this is one per wait.
/// </summary>
internal sealed class StreamWatchdog : IDisposable
{
    private readonly CancellationTokenSource _stream;
    private readonly ITimer _timer;
    private volatile bool _expired;

    public StreamWatchdog(TimeProvider time, CancellationToken cancellationToken)
    {
        _stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _timer = time.CreateTimer(_ => Expire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The stream's token: the caller's, cancelled as well when a wait runs out.</summary>
    public CancellationToken Token => _stream.Token;

    /// <summary>Whether a wait ran out (the stream was cancelled for it).</summary>
    public bool Expired => _expired;

    /// <summary>What the site was waiting for when the last wait was armed, for the log.</summary>
    public string What { get; private set; } = string.Empty;

    /// <summary>How long that wait could last.</summary>
    public TimeSpan Limit { get; private set; }

    /// <summary>Starts a wait of at most <paramref name="limit"/> for <paramref name="what"/>.</summary>
    public void Arm(string what, TimeSpan limit)
    {
        What = what;
        Limit = limit;
        _timer.Change(limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The awaited answer came: the time the site then spends on it is not the aggregator's.</summary>
    public void Disarm() => _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>The error the worker reconnects on: the status and what did not arrive in time.</summary>
    public RpcException DeadlineExceeded() =>
        new(new Status(StatusCode.DeadlineExceeded, $"the aggregator did not answer {What} within {Limit}"));

    public void Dispose()
    {
        _timer.Dispose();
        _stream.Dispose();
    }

    private void Expire()
    {
        _expired = true;
        try
        {
            _stream.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the stream ended while the timer fired
        }
    }
}
