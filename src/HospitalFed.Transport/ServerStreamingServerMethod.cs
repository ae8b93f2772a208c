namespace HospitalFed.Transport;

/// <summary>Handles a server-streaming call.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
/// <param name="request">The request.</param>
/// <param name="responseStream">Where to write the responses.</param>
/// <param name="context">The call.</param>
/// <returns>Completes when the stream is done; throw <see cref="RpcException"/> to end it with another status.</returns>
public delegate Task ServerStreamingServerMethod<in TRequest, out TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
