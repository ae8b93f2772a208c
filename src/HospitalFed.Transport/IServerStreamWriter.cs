namespace HospitalFed.Transport;

/// <summary>Writes the response stream of a server-streaming or bidirectional call.</summary>
/// <typeparam name="T">The response message.</typeparam>
public interface IServerStreamWriter<in T>
{
    /// <summary>Writes and flushes one message; completes when the transport accepted it (flow control applies).</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="InvalidOperationException">The call is already complete (deadline exceeded or client gone).</exception>
    /// <exception cref="RpcException">The message is larger than the send limit (RESOURCE_EXHAUSTED).</exception>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
