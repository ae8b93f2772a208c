using Microsoft.Extensions.Logging;

namespace HospitalFed.Dashboard.Internal;

/// <summary>The dashboard's log events (ids 9000-9099). Never a token, cookie or key; party names and reasons only.</summary>
internal static partial class DashboardLog
{
    public const string Category = "HospitalFed.Dashboard";

    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "dashboard listening on {Origin} (bound to {Address}:{Port}); round log {Log}")]
    public static partial void Listening(ILogger logger, string origin, string address, int port, string log);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "dashboard: {Party} ({Role}) signed in by {Method}")]
    public static partial void SignedIn(ILogger logger, string party, string role, string method);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "dashboard: refused {Path} from {Remote} with {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string remote, int status, string reason);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "dashboard: {Problem}")]
    public static partial void LogUnreadable(ILogger logger, string problem);
}
