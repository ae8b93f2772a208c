using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Internal;

/// <summary>Server log events; messages carry method names and status codes, never payloads.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception in the handler of {Method}; the client gets UNKNOWN.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Call {Method} ended with {StatusCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Call {Method} was cancelled by the client.")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Call {Method} exceeded its deadline; the stream was reset.")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Error while ending {Method} after its deadline.")]
    public static partial void DeadlineCompletionFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Refused a request for {Path}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string path, string reason);
}
