namespace HospitalFed.Site.Worker;

/// <summary>How one connection to the aggregator ended (see <see cref="SiteReconnectPolicy"/>).</summary>
public enum ConnectionOutcome
{
    /// <summary>The plan is over for this site (completed, aborted or refused): the worker stops.</summary>
    PlanEnded,

    /// <summary>The stream ended after delivering new tasks: reconnect at once, the backoff starts again.</summary>
    Progressed,

    /// <summary>The stream ended with nothing new: retried with the growing, jittered backoff.</summary>
    Closed,

    /// <summary>The stream of a plan this site declined ended: wait the long poll, then ask for another plan.</summary>
    Declined,
}
