namespace HospitalFed.Transport;

/// <summary>Handles a unary call.</summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
/// <param name="request">The request.</param>
/// <param name="context">The call.</param>
/// <returns>The response; throw <see cref="RpcException"/> to end the call with another status.</returns>
public delegate Task<TResponse> UnaryServerMethod<in TRequest, TResponse>(TRequest request, ServerCallContext context);
