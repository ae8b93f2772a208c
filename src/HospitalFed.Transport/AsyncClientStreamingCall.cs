namespace HospitalFed.Transport;

/// <summary>A running client-streaming call. Dispose it to cancel the call if it is still running.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
    where TRequest : class
    where TResponse : class
{
    private readonly Func<Status> _getStatus;
    private readonly Func<Metadata> _getTrailers;
    private readonly Action _dispose;

    internal AsyncClientStreamingCall(IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync, Func<Status> getStatus, Func<Metadata> getTrailers, Action dispose)
    {
        RequestStream = requestStream;
        ResponseAsync = responseAsync;
        _getStatus = getStatus;
        _getTrailers = getTrailers;
        _dispose = dispose;
    }

    /// <summary>Where to write the requests; complete it when done.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The response; faults with <see cref="RpcException"/> when the call ends with a non-OK status.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The final status, once the call has ended.</summary>
    /// <exception cref="InvalidOperationException">The call is still running.</exception>
    public Status GetStatus() => _getStatus();

    /// <summary>The server's trailing metadata, once the call has ended.</summary>
    /// <exception cref="InvalidOperationException">The call is still running.</exception>
    public Metadata GetTrailers() => _getTrailers();

    /// <summary>Cancels the call if it is still running (the stream is reset) and frees it.</summary>
    public void Dispose() => _dispose();
}
