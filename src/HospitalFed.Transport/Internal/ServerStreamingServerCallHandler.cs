using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Internal;

/// <summary>Server streaming: one request frame, then each response flushed as the handler writes it.</summary>
internal sealed class ServerStreamingServerCallHandler<TRequest, TResponse> : ServerCallHandlerBase<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly ServerStreamingServerMethod<TRequest, TResponse> _handler;

    public ServerStreamingServerCallHandler(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler, RpcServerOptions options, ILogger logger, TimeProvider time)
        : base(method, options, logger, time)
    {
        _handler = handler;
    }

    protected override async Task HandleCoreAsync(HttpServerCall<TRequest, TResponse> call)
    {
        var request = await call.ReadSingleRequestAsync().ConfigureAwait(false);
        await _handler(request, call, call.Context).ConfigureAwait(false);
    }
}
