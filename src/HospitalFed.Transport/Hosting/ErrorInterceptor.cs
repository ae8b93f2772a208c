using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Hosting;

/// <summary>
/// Turns an exception a handler did not translate into a status (a bug, a disk error) into UNKNOWN
/// with a fixed detail, so no exception text (paths, values) reaches the caller, and logs it here
/// with the exception. A status the handler chose, and a call the client cancelled, pass unchanged.
/// </summary>
internal sealed class ErrorInterceptor(ILoggerFactory logs) : ServerInterceptor
{
    /// <summary>The detail every unexpected failure gets.</summary>
    public const string Detail = "The server failed to handle the call; its log has the details.";

    private readonly ILogger _logger = logs.CreateLogger(NodeServerLog.Category);

    protected override async Task<T> AroundAsync<T>(Func<Task<T>> call, ServerCallContext context)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException && !context.CancellationToken.IsCancellationRequested)
        {
            NodeServerLog.HandlerFailed(_logger, context.Method, ex);
            throw new RpcException(new Status(StatusCode.Unknown, Detail));
        }
    }
}
