namespace HospitalFed.Transport;

/// <summary>Handles a unary call.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
/// <param name="request">The request.</param>
/// <param name="context">The call.</param>
/// <returns>The response; throw <see cref="RpcException"/> to end the call with another status.</returns>
public delegate Task<TResponse> UnaryServerMethod<in TRequest, TResponse>(TRequest request, ServerCallContext context);

/// <summary>Handles a server-streaming call.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
/// <param name="request">The request.</param>
/// <param name="responseStream">Where to write the responses.</param>
/// <param name="context">The call.</param>
/// <returns>Completes when the stream is done; throw <see cref="RpcException"/> to end it with another status.</returns>
public delegate Task ServerStreamingServerMethod<in TRequest, out TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

/// <summary>Handles a client-streaming call.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
/// <param name="requestStream">The requests, until the client ends its stream.</param>
/// <param name="context">The call.</param>
/// <returns>The response; throw <see cref="RpcException"/> to end the call with another status.</returns>
public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(IAsyncEnumerable<TRequest> requestStream, ServerCallContext context);

/// <summary>Handles a bidirectional streaming call.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
/// <param name="requestStream">The requests, until the client ends its stream.</param>
/// <param name="responseStream">Where to write the responses.</param>
/// <param name="context">The call.</param>
/// <returns>Completes when the call is done; throw <see cref="RpcException"/> to end it with another status.</returns>
public delegate Task DuplexStreamingServerMethod<TRequest, out TResponse>(IAsyncEnumerable<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
