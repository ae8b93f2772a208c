using Grpc.Core;
using Grpc.Core.Interceptors;

namespace HospitalFed.Transport.Hosting;

/// <summary>One wrapper around every call kind, so each interceptor states its rule once.</summary>
internal abstract class ServerInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        AroundAsync(() => continuation(request, context), context);

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        AroundAsync(() => continuation(requestStream, context), context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        AroundAsync(async () => { await continuation(request, responseStream, context).ConfigureAwait(false); return true; }, context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        AroundAsync(async () => { await continuation(requestStream, responseStream, context).ConfigureAwait(false); return true; }, context);

    /// <summary>Runs the rest of the pipeline for one call.</summary>
    protected abstract Task<T> AroundAsync<T>(Func<Task<T>> call, ServerCallContext context);
}
