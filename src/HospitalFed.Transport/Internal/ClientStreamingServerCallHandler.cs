using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Internal;

/// <summary>Client streaming: the handler reads request frames to a clean end of stream, then answers once.</summary>
internal sealed class ClientStreamingServerCallHandler<TRequest, TResponse> : ServerCallHandlerBase<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly ClientStreamingServerMethod<TRequest, TResponse> _handler;

    public ClientStreamingServerCallHandler(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler, RpcServerOptions options, ILogger logger, TimeProvider time)
        : base(method, options, logger, time)
    {
        _handler = handler;
    }

    protected override async Task HandleCoreAsync(HttpServerCall<TRequest, TResponse> call)
    {
        var response = await _handler(call.ReadAllRequestsAsync(), call.Context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The handler of {Method.FullName} returned no response.");
        await call.WriteUnaryResponseAsync(response).ConfigureAwait(false);
    }
}
