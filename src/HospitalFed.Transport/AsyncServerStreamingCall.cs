using System.Runtime.CompilerServices;

namespace HospitalFed.Transport;

/// <summary>A running server-streaming call. Dispose it to cancel the call if it is still running.</summary>
/// <typeparam name="TResponse">The response message.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
    where TResponse : class
{
    private readonly Func<CancellationToken, ValueTask<TResponse?>> _readNext;
    private readonly Func<Status> _getStatus;
    private readonly Func<Metadata> _getTrailers;
    private readonly Action _dispose;

    internal AsyncServerStreamingCall(Func<CancellationToken, ValueTask<TResponse?>> readNext, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
    {
        _readNext = readNext;
        _getStatus = getStatus;
        _getTrailers = getTrailers;
        _dispose = dispose;
    }

    /// <summary>The responses in order; ends when the server ends the call with OK.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The responses.</returns>
    /// <exception cref="RpcException">The call ended with a non-OK status.</exception>
    public async IAsyncEnumerable<TResponse> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _readNext(cancellationToken).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }

    /// <summary>The final status, once the responses have been read to the end.</summary>
    /// <exception cref="InvalidOperationException">The call is still running.</exception>
    public Status GetStatus() => _getStatus();

    /// <summary>The server's trailing metadata, once the call has ended.</summary>
    /// <exception cref="InvalidOperationException">The call is still running.</exception>
    public Metadata GetTrailers() => _getTrailers();

    /// <summary>Cancels the call if it is still running (the stream is reset) and frees it.</summary>
    public void Dispose() => _dispose();
}
