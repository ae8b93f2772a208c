using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// What every call kind shares: protocol checks (426 for HTTP/1.x, 415 for a non-gRPC content-type),
/// Kestrel limits off (gRPC enforces its own per-message limit), and one place that turns the
/// handler's outcome into a status.
/// </summary>
internal abstract class ServerCallHandlerBase<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly RpcServerOptions _options;
    private readonly TimeProvider _time;

    protected ServerCallHandlerBase(Method<TRequest, TResponse> method, RpcServerOptions options, ILogger logger, TimeProvider time)
    {
        Method = method;
        _options = options;
        Logger = logger;
        _time = time;
    }

    protected Method<TRequest, TResponse> Method { get; }

    protected ILogger Logger { get; }

    public async Task HandleCallAsync(HttpContext http)
    {
        if (!GrpcRequestValidator.CheckProtocol(http, Logger))
        {
            return;
        }

        DisableKestrelLimits(http);
        http.Response.ContentType = GrpcProtocolConstants.ContentType;
        http.Response.Headers[GrpcProtocolConstants.AcceptEncodingHeader] = ServerConstants.AcceptEncodingValue;

        var call = new HttpServerCall<TRequest, TResponse>(http, Method, _options, Logger, _time);
        try
        {
            await HandleCoreAsync(call).ConfigureAwait(false);
            await call.FinishAsync(Status.Ok, null).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every failure must become a gRPC status, whatever its type.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await call.FinishAsync(call.ToStatus(ex), ex).ConfigureAwait(false);
        }
        finally
        {
            call.Dispose();
        }
    }

    protected abstract Task HandleCoreAsync(HttpServerCall<TRequest, TResponse> call);

    private static void DisableKestrelLimits(HttpContext http)
    {
        // Streams may be long and slow (a site uploading a model while training); the per-message
        // limit above is what bounds memory, not the body size.
        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }
    }
}
