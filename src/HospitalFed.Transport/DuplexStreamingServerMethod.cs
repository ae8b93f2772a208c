namespace HospitalFed.Transport;

/// <summary>Handles a bidirectional streaming call.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
/// <param name="requestStream">The requests, until the client ends its stream.</param>
/// <param name="responseStream">Where to write the responses.</param>
/// <param name="context">The call.</param>
/// <returns>Completes when the call is done; throw <see cref="RpcException"/> to end it with another status.</returns>
public delegate Task DuplexStreamingServerMethod<TRequest, out TResponse>(IAsyncEnumerable<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
