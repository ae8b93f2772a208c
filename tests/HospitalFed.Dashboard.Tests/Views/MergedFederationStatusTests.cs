using HospitalFed.Dashboard.Internal;
using HospitalFed.Dashboard.Status;

namespace HospitalFed.Dashboard.Tests.Views;

/// <summary>The host's live facts laid over the round log's view: which source wins for each field.</summary>
[TestFixture]
public sealed class MergedFederationStatusTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Merge_SiteInBoth_ConnectionAndVersionLiveVerdictFromTheLogLatestLastSeen()
    {
        var logged = Snapshot([], [new SiteStatus("a", T0.AddMinutes(5), null, null, "refused the plan: epsilon above cap")]);
        var live = Snapshot([], [new SiteStatus("a", T0, true, "1.2.3", "accepted the plan"), new SiteStatus("b", T0, false, null, null)]);

        var merged = MergedFederationStatus.Merge(live, logged);

        Assert.That(merged.Sites, Is.EqualTo(new[]
        {
            new SiteStatus("a", T0.AddMinutes(5), true, "1.2.3", "refused the plan: epsilon above cap"),
            new SiteStatus("b", T0, false, null, null),
        }));
    }

    [Test]
    public void Merge_LiveAtTheLogsRound_PhaseFromTheHostUploadsAndTimesFromTheLog()
    {
        var logged = Snapshot([Round("p", 3, "collecting uploads", done: ["a"])], []);
        var live = Snapshot([Round("p", 3, "unmasking", done: [])], []);

        var round = MergedFederationStatus.Merge(live, logged).Rounds.Single();

        Assert.That(round.Phase, Is.EqualTo("unmasking"));
        Assert.That(round.Done, Is.EqualTo(new[] { "a" }));
        Assert.That(round.PlanStatus, Is.EqualTo("log status"));
    }

    [Test]
    public void Merge_LiveAheadOfTheLog_ShowsTheLiveRoundWithTheLogsPlanStatus()
    {
        var logged = Snapshot([Round("p", 2, "evaluated", done: ["a", "b"])], []);
        var live = Snapshot([Round("p", 3, "advertising keys", done: []) with { PlanStatus = "live status" }], []);

        var round = MergedFederationStatus.Merge(live, logged).Rounds.Single();

        Assert.That((round.Round, round.Phase, round.PlanStatus), Is.EqualTo((3L, "advertising keys", "log status")));
        Assert.That(round.Done, Is.Empty, "the log's uploads were round 2's");
    }

    [Test]
    public void Merge_LiveBehindTheLog_KeepsTheLogsRound()
    {
        var logged = Snapshot([Round("p", 4, "open", done: [])], []);
        var live = Snapshot([Round("p", 3, "unmasking", done: [])], []);

        Assert.That(MergedFederationStatus.Merge(live, logged).Rounds.Single().Round, Is.EqualTo(4));
    }

    [Test]
    public async Task WatchAsync_EventsFromBothSources_ReachTheWatcher()
    {
        var live = new HubStatus();
        var log = new HubStatus();
        var merged = new MergedFederationStatus(live, log);
        using var cts = new CancellationTokenSource(Timeout);
        var seen = new List<string>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in merged.WatchAsync(cts.Token))
            {
                seen.Add(e.Description);
                if (seen.Count == 2)
                {
                    return;
                }
            }
        });

        // Publish until both pumps are subscribed and each event got through (a hub drops events nobody watches yet).
        while (!watching.IsCompleted && !cts.IsCancellationRequested)
        {
            if (!seen.Contains("connected"))
            {
                live.Hub.Publish(new FederationEvent(T0, "p", 1, "a", "connected"));
            }

            if (!seen.Contains("round 1: a uploaded"))
            {
                log.Hub.Publish(new FederationEvent(T0, "p", 1, "a", "round 1: a uploaded"));
            }

            await Task.WhenAny(watching, Task.Delay(20, cts.Token)).WaitAsync(Timeout);
        }

        await watching.WaitAsync(Timeout);
        Assert.That(seen, Is.EquivalentTo(new[] { "connected", "round 1: a uploaded" }));
    }

    private static FederationSnapshot Snapshot(IReadOnlyList<RoundStatus> rounds, IReadOnlyList<SiteStatus> sites) => new(T0, rounds, sites);

    private static RoundStatus Round(string plan, long number, string phase, IReadOnlyList<string> done) =>
        new(plan, "log status", number, phase, ["a", "b"], done, [], [KeyValuePair.Create("train, protect and upload", TimeSpan.FromSeconds(1))], T0);

    private sealed class HubStatus : IFederationStatus
    {
        public FederationEventHub Hub { get; } = new();

        public FederationSnapshot Current => FederationSnapshot.Empty;

        public IAsyncEnumerable<FederationEvent> WatchAsync(CancellationToken cancellationToken) => Hub.WatchAsync(cancellationToken);
    }
}
