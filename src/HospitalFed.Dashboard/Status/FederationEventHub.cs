using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace HospitalFed.Dashboard.Status;

/// <summary>
/// Fans federation events out to every open watcher (a live page's event stream), each with its
/// own bounded buffer: a slow reader loses its oldest events, never blocks the publisher. The one
/// implementation of <see cref="IFederationStatus.WatchAsync"/> for the round-log feed and for a
/// host's live source.
/// </summary>
public sealed class FederationEventHub
{
    /// <summary>Events buffered per watcher before the oldest are dropped.</summary>
    public const int WatcherBuffer = 256;

    private readonly Lock _gate = new();
    private readonly List<Channel<FederationEvent>> _watchers = [];

    /// <summary>How many watchers are open now.</summary>
    public int Watchers
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Hands <paramref name="e"/> to every watcher; never blocks.</summary>
    public void Publish(FederationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(e);
            }
        }
    }

    /// <summary>Events published from now on until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<FederationEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<FederationEvent>(new BoundedChannelOptions(WatcherBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _watchers.Add(channel);
        }

        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }
}
