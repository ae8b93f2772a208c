using HospitalFed.Dashboard.Status;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// The default <see cref="IFederationStatus"/>: tails the round log (<see cref="Poll"/>, called by
/// the server's timer), folds new entries into one <see cref="PlanView"/> per plan, and publishes
/// an event per entry to every watcher. The pages read the views through <see cref="Read{T}"/>.
/// </summary>
internal sealed class RoundLogFeed(RoundLogReader reader, int approvalThreshold, TimeProvider time) : IFederationStatus
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PlanView> _plans = new(StringComparer.Ordinal);
    private readonly FederationEventHub _events = new();
    private volatile FederationSnapshot _current = FederationSnapshot.Empty;

    private const int MaxSkipped = 20;
    private readonly List<string> _skipped = [];
    private string? _readProblem;

    /// <summary>
    /// What the pages must warn about, or null: the last failure to read the database (cleared
    /// once a read succeeds), and every entry that could not be folded in (kept: never silently lost).
    /// </summary>
    public string? Problem
    {
        get
        {
            lock (_gate)
            {
                var all = (_readProblem is null ? _skipped : [_readProblem, .. _skipped]);
                return all.Count == 0 ? null : string.Join("; ", all);
            }
        }
    }

    public string LogPath => reader.Path;

    public FederationSnapshot Current => _current;

    /// <summary>Every stored line of <paramref name="planId"/>, read afresh (for verification).</summary>
    public IReadOnlyList<byte[]> AllLines(string planId) => reader.Lines(planId, 0);

    /// <summary>Reads entries appended since the last poll; returns how many.</summary>
    public int Poll()
    {
        var events = new List<FederationEvent>();
        lock (_gate)
        {
            try
            {
                foreach (var planId in reader.Plans())
                {
                    if (!_plans.TryGetValue(planId, out var view))
                    {
                        _plans[planId] = view = new PlanView(planId);
                    }

                    foreach (var line in reader.Lines(planId, view.Size))
                    {
                        var index = view.Size;
                        try
                        {
                            var entry = LogLine.Decode(line, out _);
                            var what = view.Apply(entry);
                            events.Add(new FederationEvent(entry.Time, planId, entry.Round, entry.Author, what));
                        }
                        catch (Exception ex) when (ex is FormatException or InvalidOperationException or System.Text.Json.JsonException)
                        {
                            if (view.Size == index)
                            {
                                view.Skip();
                            }

                            if (_skipped.Count < MaxSkipped)
                            {
                                _skipped.Add($"entry {index} of plan {planId} could not be read and is not shown ({ex.Message}); verify the log on the audit page");
                            }
                        }
                    }
                }

                _readProblem = null;
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                _readProblem = $"the round log {reader.Path} cannot be read: {ex.Message}";
            }

            if (events.Count > 0 || _current.At == DateTimeOffset.MinValue)
            {
                _current = Snapshot();
            }

            foreach (var e in events)
            {
                _events.Publish(e);
            }
        }

        return events.Count;
    }

    /// <summary>Runs <paramref name="read"/> over the plans (most recently active first) under the feed's lock.</summary>
    public T Read<T>(Func<IReadOnlyList<PlanView>, T> read)
    {
        lock (_gate)
        {
            return read([.. _plans.Values.OrderByDescending(p => p.LastEntryAt)]);
        }
    }

    public IAsyncEnumerable<FederationEvent> WatchAsync(CancellationToken cancellationToken) => _events.WatchAsync(cancellationToken);

    private FederationSnapshot Snapshot()
    {
        var plans = _plans.Values.OrderByDescending(p => p.LastEntryAt).ToList();
        var rounds = plans.Select(Round).ToList();
        var sites = new SortedDictionary<string, SiteStatus>(StringComparer.Ordinal);
        foreach (var plan in plans.AsEnumerable().Reverse())
        {
            var invited = plan.Rounds.SelectMany(r => r.Invited).Concat(plan.Decisions.Keys).Distinct(StringComparer.Ordinal);
            foreach (var site in invited)
            {
                var lastSeen = plan.Authors.TryGetValue(site, out var a) ? a.LastSeen : (DateTimeOffset?)null;
                var verdict = plan.Decisions.TryGetValue(site, out var d)
                    ? d.Accept ? "accepted the plan" : $"refused the plan: {string.Join("; ", d.Reasons)}"
                    : null;
                sites[site] = new SiteStatus(site, lastSeen, null, null, verdict);
            }
        }

        return new FederationSnapshot(time.GetUtcNow(), rounds, [.. sites.Values]);
    }

    private RoundStatus Round(PlanView plan)
    {
        var status = plan.Status(approvalThreshold);
        if (plan.CurrentRound is not { } round)
        {
            return new RoundStatus(plan.PlanId, status, 0, "not started", [], [], [], [], null);
        }

        return new RoundStatus(
            plan.PlanId,
            status,
            round.Number,
            round.Phase,
            round.Invited,
            [.. round.Uploads.Select(u => u.Site).Distinct(StringComparer.Ordinal)],
            [.. round.Dropouts.Select(d => KeyValuePair.Create(d.Site, d.Stage))],
            [.. round.PhaseTimes().Select(p => KeyValuePair.Create(p.Phase, p.Duration))],
            round.OpenedAt);
    }
}
