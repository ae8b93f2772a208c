using HospitalFed.Dashboard.Internal;
using HospitalFed.Dashboard.Status;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Dashboard.Tests.Views;

/// <summary>Tailing the aggregator's SQLite round log read-only, while another connection appends to it.</summary>
[TestFixture]
public sealed class RoundLogFeedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("hfed-dash-feed-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Poll_NoDatabaseYet_EmptyAndNothingCreated()
    {
        var path = Path.Combine(_directory, "round-log.db");
        var feed = new RoundLogFeed(new RoundLogReader(path), 2, TimeProvider.System);

        Assert.That(feed.Poll(), Is.Zero);
        Assert.That(feed.Current.Rounds, Is.Empty);
        Assert.That(File.Exists(path), Is.False, "the dashboard never creates the aggregator's file");
    }

    [Test]
    public async Task Poll_LogGrowsBetweenPolls_ReadsOnlyTheNewEntriesAndPublishesOneEventEach()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3, admins: 2);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        var path = Path.Combine(_directory, "round-log.db");
        using var store = SqliteLogStore.Open(path, plan.Id);
        var log = sim.StartLog(store, plan);
        var feed = new RoundLogFeed(new RoundLogReader(path), sim.Config.ApprovalThreshold, TimeProvider.System);
        var first = feed.Poll();
        using var cancel = new CancellationTokenSource(Timeout);
        var watched = new List<FederationEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in feed.WatchAsync(cancel.Token))
            {
                watched.Add(e);
                if (e.Description.StartsWith("round 1: metrics", StringComparison.Ordinal))
                {
                    return;
                }
            }
        });
        await Task.Delay(100).WaitAsync(Timeout); // let the watcher subscribe

        var before = store.Count;
        sim.RunRound(log, plan, 1, ConsortiumSimulation.InitialModel, []);
        var second = feed.Poll();
        await watching.WaitAsync(Timeout);

        Assert.That(first, Is.EqualTo(before));
        Assert.That(second, Is.EqualTo(store.Count - before));
        Assert.That(watched.Select(e => e.Description), Does.Contain("round 1 opened for 3 sites").And.Contain($"round 1: {sim.Sites[0].Name} uploaded"));
        var round = feed.Current.Rounds.Single();
        Assert.That(round.Round, Is.EqualTo(1));
        Assert.That(round.Done, Is.EquivalentTo(sim.Sites.Select(s => s.Name)));
        Assert.That(round.Phase, Is.EqualTo("evaluated"));
        Assert.That(feed.Current.Sites.Select(s => s.Verdict), Has.All.EqualTo("accepted the plan"));
    }

    [Test]
    public void Poll_UnreadableLine_ReadsPastItAndKeepsReportingIt()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3, admins: 2);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        var path = Path.Combine(_directory, "round-log.db");
        using var store = SqliteLogStore.Open(path, plan.Id);
        sim.StartLog(store, plan);
        var bad = store.Count;
        store.Append(bad, "{\"not\":\"an entry\"}"u8.ToArray());
        var feed = new RoundLogFeed(new RoundLogReader(path), sim.Config.ApprovalThreshold, TimeProvider.System);

        var first = feed.Poll();
        var second = feed.Poll();

        Assert.That(first, Is.EqualTo(bad), "every readable entry");
        Assert.That(second, Is.Zero, "the unreadable line is not retried forever");
        Assert.That(feed.Problem, Does.Contain($"entry {bad} of plan {plan.Id} could not be read"));
        Assert.That(feed.Read(plans => plans.Single().Size), Is.EqualTo(bad + 1));
    }
}
