namespace HospitalFed.Transport;

/// <summary>Writes the request stream of a client-streaming or bidirectional call.</summary>
/// <typeparam name="T">The request message.</typeparam>
public interface IClientStreamWriter<in T>
{
    /// <summary>Writes and flushes one message. One write at a time.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="RpcException">The call already ended; carries the call's status.</exception>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Ends the request stream (HTTP/2 END_STREAM): the server's reader sees a clean end.</summary>
    Task CompleteAsync();
}
