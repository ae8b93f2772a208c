using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Site.Worker;

/// <summary>Structured log events of the site service (no values, keys or rows).</summary>
internal static partial class SiteLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Connected to the aggregator at {Address}")]
    public static partial void Connected(ILogger logger, string address);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Connection lost ({Reason}); retrying in {Delay}")]
    public static partial void Reconnecting(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Round {Round}: {Task}")]
    public static partial void Task(ILogger logger, long round, string task);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Round {Round} declined or aborted: {Reason}")]
    public static partial void Refused(ILogger logger, long round, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Plan ended after round {Round} (completed: {Completed})")]
    public static partial void Ended(ILogger logger, long round, bool completed);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Round {Round}: this site could not deliver {What} ({Status}: {Detail}); it sits the round out and stays connected")]
    public static partial void NotDelivered(ILogger logger, long round, string what, StatusCode status, string detail);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "CRL {Path} reloaded: serial {Serial} revoked at {RevokedAt:u}; its holder is refused from now on")]
    public static partial void Revoked(ILogger logger, string path, string serial, DateTimeOffset revokedAt);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "{Reason}; the last good CRL stays in force")]
    public static partial void CrlNotLoaded(ILogger logger, string reason);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "Round log fork or rewrite detected, this site takes no further part in the plan: {Reason}")]
    public static partial void HeadRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Plan {PlanId} declined by this site: {Reasons}")]
    public static partial void PlanDeclined(ILogger logger, string planId, string reasons);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "The aggregator ended the stream of plan {PlanId}; this site declined it and asks the aggregator for another plan about every {Interval}")]
    public static partial void DeclinedWaiting(ILogger logger, string planId, TimeSpan interval);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Debug, Message = "Plan {PlanId} (declined) still offered or the aggregator unreachable; asking again in {Delay}")]
    public static partial void DeclinedPolling(ILogger logger, string planId, TimeSpan delay);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "DEADLINE_EXCEEDED: the aggregator did not answer {What} within {Deadline}; reconnecting")]
    public static partial void DeadlineExceeded(ILogger logger, string what, TimeSpan deadline);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Information, Message = "Stopped by the host after round {Round} (a stop, not a deadline); the saved state lets the next start resume")]
    public static partial void Stopped(ILogger logger, long round);

    // 2090: far from the service's own ids; only ever logged with the test-only HFED_TEST_FAULT set.
    [LoggerMessage(EventId = 2090, Level = LogLevel.Warning, Message = "TEST FAULT {Fault} injected at round {Round} (HFED_TEST_FAULT is set: never on a production site)")]
    public static partial void FaultInjected(ILogger logger, string fault, long round);
}
