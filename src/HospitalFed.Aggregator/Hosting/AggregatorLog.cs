using Microsoft.Extensions.Logging;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>Structured log events of the aggregator service (names and counts only, never values or keys).</summary>
internal static partial class AggregatorLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Site {Site} subscribed")]
    public static partial void SiteSubscribed(ILogger logger, string site);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Site {Site} disconnected")]
    public static partial void SiteDisconnected(ILogger logger, string site);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Plan {PlanId}: round {Round} phase {Phase}")]
    public static partial void PhaseChanged(ILogger logger, string planId, long round, string phase);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Refused a message from {Site}: {Reason}")]
    public static partial void MessageRefused(ILogger logger, string site, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Plan {PlanId} completed after {Rounds} rounds")]
    public static partial void PlanCompleted(ILogger logger, string planId, int rounds);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Plan {PlanId} failed: {Reason}")]
    public static partial void PlanFailed(ILogger logger, string planId, string reason);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Site {Site} uploaded its masked input for round {Round}")]
    public static partial void MaskedInputUploaded(ILogger logger, string site, long round);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Plan {PlanId} resumed after a restart: {Completed} completed rounds replayed; round {Aborted} aborted (0 = none was open)")]
    public static partial void Resumed(ILogger logger, string planId, int completed, long aborted);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "CRL {Path} reloaded: {Party} (serial {Serial}) revoked at {RevokedAt:u}; refused from now on, not invited to further rounds")]
    public static partial void Revoked(ILogger logger, string path, string party, string serial, DateTimeOffset revokedAt);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "{Reason}; the last good CRL stays in force")]
    public static partial void CrlNotLoaded(ILogger logger, string reason);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "Site {Site} countersigned the tree head of size {Size}")]
    public static partial void HeadCountersigned(ILogger logger, string site, long size);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Discarded the partial upload of {Site} for round {Round} ({Bytes} bytes received): its stream broke before the end; it counts as a dropout of the input phase")]
    public static partial void PartialUploadDiscarded(ILogger logger, string site, long round, long bytes);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "Plan {PlanId} waits for sites: {Reason}; the next round opens when every invited site is connected, or at the join deadline with at least {MinSites}")]
    public static partial void PlanWaiting(ILogger logger, string planId, string reason, int minSites);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Information, Message = "Plan {PlanId} round {Round}: pooled metrics of the model it started from, {TestRows} test rows: AUC {Auc:F4} +/- {AucErrorBound:F4}, balanced accuracy {BalancedAccuracy:F4}, Brier {Brier:F4}, ECE {Ece:F4}, log loss {LogLoss:F4}")]
    public static partial void RoundMetrics(ILogger logger, string planId, long round, long testRows, double auc, double aucErrorBound, double balancedAccuracy, double brier, double ece, double logLoss);
}
