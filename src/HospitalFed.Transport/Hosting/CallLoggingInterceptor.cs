using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Hosting;

/// <summary>Logs every call that ends with a status other than OK: method, code and detail (never payloads).</summary>
internal sealed class CallLoggingInterceptor(ILoggerFactory logs) : ServerInterceptor
{
    private readonly ILogger _logger = logs.CreateLogger(NodeServerLog.Category);

    protected override async Task<T> AroundAsync<T>(Func<Task<T>> call, ServerCallContext context)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            NodeServerLog.CallFailed(_logger, context.Method, ex.StatusCode, ex.Status.Detail);
            throw;
        }
    }
}
