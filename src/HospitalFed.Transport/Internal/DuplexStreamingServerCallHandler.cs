using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Internal;

/// <summary>Bidirectional streaming: request and response streams run independently.</summary>
internal sealed class DuplexStreamingServerCallHandler<TRequest, TResponse> : ServerCallHandlerBase<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly DuplexStreamingServerMethod<TRequest, TResponse> _handler;

    public DuplexStreamingServerCallHandler(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler, RpcServerOptions options, ILogger logger, TimeProvider time)
        : base(method, options, logger, time)
    {
        _handler = handler;
    }

    protected override Task HandleCoreAsync(HttpServerCall<TRequest, TResponse> call) =>
        _handler(call.ReadAllRequestsAsync(), call, call.Context);
}
