namespace HospitalFed.Site.Worker;

/// <summary>
/// How long the site waits for the aggregator before it gives up on a call and reconnects, so a
/// node that accepts the connection but never answers costs a bounded wait instead of a hang. Each
/// expiry is DEADLINE_EXCEEDED: logged as such (never as a stop), then retried with the reconnect
/// backoff. Set from the site config's <c>subscribeTimeoutSeconds</c>, <c>callTimeoutSeconds</c> and
/// <c>taskIdleTimeoutSeconds</c>.
/// </summary>
public sealed record SiteCallDeadlines
{
    /// <summary>Longest accepted deadline, one day: anything longer is a hang by another name.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>Time for the aggregator to accept the task stream (its response headers) after the call starts; default 30 s.</summary>
    public TimeSpan Subscribe { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Deadline of each unary call (a message, a masked or protected upload), from its start to the
    /// aggregator's receipt; default 5 minutes, room for a large model's upload on a slow link.
    /// </summary>
    public TimeSpan Call { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest wait for the next task on an open task stream (not counting the time the site spends
    /// on a task) before the site drops the stream and reconnects; default 10 minutes. Reconnecting is
    /// harmless: the aggregator replays the task due, which the site recognises.
    /// </summary>
    public TimeSpan TaskIdle { get; init; } = TimeSpan.FromMinutes(10);
}
