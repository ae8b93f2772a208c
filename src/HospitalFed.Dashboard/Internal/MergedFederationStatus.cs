using System.Runtime.CompilerServices;
using System.Threading.Channels;
using HospitalFed.Dashboard.Status;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// What the pages show when the host publishes a live source (the aggregator): the round log's
/// view with the host's live facts laid over it. A site's connection, version and last call come
/// from the host; its plan verdict from the log when the log has one (it carries the refusal's
/// reasons), else from the host. A plan's current round and phase come from the host when it is
/// at the same round as the log or ahead; uploads, dropouts and phase times always from the log.
/// Only presentation: the host decides every fact, the log proves the rest.
/// </summary>
internal sealed class MergedFederationStatus(IFederationStatus live, IFederationStatus log) : IFederationStatus
{
    public FederationSnapshot Current => Merge(live.Current, log.Current);

    public async IAsyncEnumerable<FederationEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var merged = Channel.CreateBounded<FederationEvent>(new BoundedChannelOptions(FederationEventHub.WatcherBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pumps = Task.WhenAll(PumpAsync(live, merged.Writer, stop.Token), PumpAsync(log, merged.Writer, stop.Token));
        try
        {
            await foreach (var e in merged.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pumps.ConfigureAwait(false);
        }
    }

    /// <summary>The log's snapshot with <paramref name="now"/>'s live facts laid over it.</summary>
    public static FederationSnapshot Merge(FederationSnapshot now, FederationSnapshot logged)
    {
        var sites = new SortedDictionary<string, SiteStatus>(StringComparer.Ordinal);
        foreach (var site in logged.Sites)
        {
            sites[site.Name] = site;
        }

        foreach (var site in now.Sites)
        {
            sites[site.Name] = sites.TryGetValue(site.Name, out var known)
                ? new SiteStatus(
                    site.Name,
                    Latest(site.LastSeen, known.LastSeen),
                    site.Connected ?? known.Connected,
                    site.Version ?? known.Version,
                    known.Verdict ?? site.Verdict)
                : site;
        }

        var rounds = new List<RoundStatus>();
        var liveRounds = now.Rounds.ToDictionary(r => r.PlanId, StringComparer.Ordinal);
        foreach (var round in logged.Rounds)
        {
            if (liveRounds.Remove(round.PlanId, out var current) && current.Round >= round.Round)
            {
                rounds.Add(current.Round == round.Round
                    ? round with { Phase = current.Phase }
                    : current with { PlanStatus = round.PlanStatus });
            }
            else
            {
                rounds.Add(round);
            }
        }

        rounds.InsertRange(0, liveRounds.Values); // a plan the log does not show yet is the newest
        return new FederationSnapshot(now.At > logged.At ? now.At : logged.At, rounds, [.. sites.Values]);
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static async Task PumpAsync(IFederationStatus source, ChannelWriter<FederationEvent> into, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in source.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                into.TryWrite(e);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the watcher left
        }
    }
}
