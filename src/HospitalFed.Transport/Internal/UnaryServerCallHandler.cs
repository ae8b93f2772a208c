using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Internal;

/// <summary>Unary: exactly one request frame, one response frame, then the status.</summary>
internal sealed class UnaryServerCallHandler<TRequest, TResponse> : ServerCallHandlerBase<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly UnaryServerMethod<TRequest, TResponse> _handler;

    public UnaryServerCallHandler(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler, RpcServerOptions options, ILogger logger, TimeProvider time)
        : base(method, options, logger, time)
    {
        _handler = handler;
    }

    protected override async Task HandleCoreAsync(HttpServerCall<TRequest, TResponse> call)
    {
        var request = await call.ReadSingleRequestAsync().ConfigureAwait(false);
        var response = await _handler(request, call.Context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The handler of {Method.FullName} returned no response.");
        await call.WriteUnaryResponseAsync(response).ConfigureAwait(false);
    }
}
