namespace HospitalFed.Dashboard.Status;

/// <summary>
/// The live state of the federation as the dashboard shows it: a snapshot to render now and a
/// stream of events to push to open pages. The default implementation derives both from tailing
/// the round log; a host that knows more (connected sites, versions, the orchestrator's phase)
/// registers its own implementation before <c>AddHospitalFedDashboard</c>.
/// </summary>
public interface IFederationStatus
{
    /// <summary>The state now.</summary>
    FederationSnapshot Current { get; }

    /// <summary>
    /// Events from now on until <paramref name="cancellationToken"/> is cancelled. A slow reader
    /// loses the oldest events, never the newest (<see cref="Current"/> is always whole).
    /// </summary>
    IAsyncEnumerable<FederationEvent> WatchAsync(CancellationToken cancellationToken);
}
