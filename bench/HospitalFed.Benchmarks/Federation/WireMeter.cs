using Microsoft.AspNetCore.Connections;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>
/// Counts every byte the aggregator's listener reads and writes, as Kestrel connection
/// middleware added before TLS: the figures are TCP payload bytes, i.e. TLS records (handshakes
/// included) carrying HTTP/2 frames carrying gRPC messages. TCP/IP headers are not counted.
/// </summary>
internal sealed class WireMeter
{
    private long _received;
    private long _sent;
    private long _connections;

    /// <summary>Bytes read from the sites so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Bytes written to the sites so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Connections accepted so far.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>The middleware to install on the listener.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async context =>
    {
        Interlocked.Increment(ref _connections);
        var transport = context.Transport;
        context.Transport = new MeteredDuplexPipe(transport, this);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Transport = transport;
        }
    };

    public void AddReceived(long bytes) => Interlocked.Add(ref _received, bytes);

    public void AddSent(long bytes) => Interlocked.Add(ref _sent, bytes);
}
