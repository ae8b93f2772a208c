using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Dashboard.Status;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// What the running aggregator knows live, published to the dashboard it hosts: each invited
/// site's connection (an open task stream), its last call, the software version it reported when
/// it connected, whether it accepted the plan, and the orchestrator's current round and phase.
/// The federation service and the runner report to it as they route bytes; it decides nothing.
/// </summary>
public sealed partial class AggregatorFederationStatus : IFederationStatus
{
    private readonly string _planId;
    private readonly TimeProvider _time;
    private readonly FederationEventHub _events = new();
    private readonly ConcurrentDictionary<string, SiteState> _sites = new(StringComparer.Ordinal);
    private volatile RoundStatus? _round;

    /// <summary>Creates the status of <paramref name="planId"/> with every invited site known and not connected.</summary>
    /// <param name="planId">The plan the aggregator runs.</param>
    /// <param name="invited">The invited sites (the config's <c>sites</c>).</param>
    /// <param name="time">The clock of "last seen".</param>
    public AggregatorFederationStatus(string planId, IEnumerable<string> invited, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(invited);
        ArgumentNullException.ThrowIfNull(time);
        _planId = planId;
        _time = time;
        foreach (var site in invited)
        {
            _sites[site] = new SiteState();
        }
    }

    /// <inheritdoc />
    public FederationSnapshot Current
    {
        get
        {
            var sites = _sites.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.Status(s.Key)).ToList();
            return new FederationSnapshot(_time.GetUtcNow(), _round is { } round ? [round] : [], sites);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<FederationEvent> WatchAsync(CancellationToken cancellationToken) => _events.WatchAsync(cancellationToken);

    /// <summary>A task stream of <paramref name="site"/> opened; <paramref name="version"/> is what it reported (null if nothing).</summary>
    public void Connected(string site, string? version)
    {
        var state = _sites.GetOrAdd(site, _ => new SiteState());
        lock (state.Gate)
        {
            state.Streams++;
            state.LastSeen = _time.GetUtcNow();
            state.Version = version ?? state.Version;
        }

        Publish(site, version is null ? "connected" : $"connected (hfed {version})");
    }

    /// <summary>A task stream of <paramref name="site"/> closed; it is disconnected once no stream of it is open.</summary>
    public void Disconnected(string site)
    {
        if (!_sites.TryGetValue(site, out var state))
        {
            return;
        }

        bool gone;
        lock (state.Gate)
        {
            state.Streams = Math.Max(0, state.Streams - 1);
            state.LastSeen = _time.GetUtcNow();
            gone = state.Streams == 0;
        }

        if (gone)
        {
            Publish(site, "disconnected");
        }
    }

    /// <summary><paramref name="site"/> made an authenticated call now.</summary>
    public void Seen(string site)
    {
        if (_sites.TryGetValue(site, out var state))
        {
            lock (state.Gate)
            {
                state.LastSeen = _time.GetUtcNow();
            }
        }
    }

    /// <summary>The orchestrator moved to <paramref name="phase"/> of <paramref name="round"/>; <paramref name="accepted"/> are the sites that accepted the plan so far.</summary>
    public void PhaseChanged(long round, OrchestratorPhase phase, IReadOnlyCollection<string> accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        foreach (var site in accepted)
        {
            var state = _sites.GetOrAdd(site, _ => new SiteState());
            lock (state.Gate)
            {
                state.Accepted = true;
            }
        }

        var words = Words(phase);
        var status = phase switch
        {
            OrchestratorPhase.Completed => "completed",
            OrchestratorPhase.Failed => "failed",
            _ when round == 0 => "waiting for sites",
            _ => $"round {round}: {words}",
        };
        _round = new RoundStatus(_planId, status, round, words, [], [], [], [], null);
        _events.Publish(new FederationEvent(_time.GetUtcNow(), _planId, round, "aggregator", $"phase: {words}"));
    }

    /// <summary>A phase name in words: <c>CollectingInputs</c> is "collecting inputs".</summary>
    internal static string Words(OrchestratorPhase phase) => CapitalSplit().Replace(phase.ToString(), " $1").Trim().ToLowerInvariant();

    private void Publish(string site, string what) => _events.Publish(new FederationEvent(_time.GetUtcNow(), _planId, _round?.Round ?? 0, site, what));

    [GeneratedRegex("([A-Z])")]
    private static partial Regex CapitalSplit();

    private sealed class SiteState
    {
        public Lock Gate { get; } = new();

        public int Streams { get; set; }

        public DateTimeOffset? LastSeen { get; set; }

        public string? Version { get; set; }

        public bool Accepted { get; set; }

        public SiteStatus Status(string name)
        {
            lock (Gate)
            {
                return new SiteStatus(name, LastSeen, Streams > 0, Version, Accepted ? "accepted the plan" : null);
            }
        }
    }
}
