namespace HospitalFed.Transport;

/// <summary>Handles a client-streaming call.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
/// <param name="requestStream">The requests, until the client ends its stream.</param>
/// <param name="context">The call.</param>
/// <returns>The response; throw <see cref="RpcException"/> to end the call with another status.</returns>
public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(IAsyncEnumerable<TRequest> requestStream, ServerCallContext context);
