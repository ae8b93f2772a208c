using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Hosting;

/// <summary>
/// Server log events of the grpc-dotnet hosting; messages carry method names and status codes,
/// never payloads. Ids 1, 2 and 7 keep the meaning they had under the former hand-written server.
/// </summary>
internal static partial class NodeServerLog
{
    /// <summary>The category every server event is logged under (hosts filter on it).</summary>
    public const string Category = "HospitalFed.Transport.Server";

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception in the handler of {Method}; the client gets UNKNOWN.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Call {Method} ended with {StatusCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Refused a TLS client from {Remote}: {Reason}")]
    public static partial void ClientCertificateRefused(ILogger logger, string remote, string reason);
}
