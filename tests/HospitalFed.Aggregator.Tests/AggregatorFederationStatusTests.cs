using HospitalFed.Aggregator.Hosting;
using HospitalFed.Aggregator.Orchestration;
using Microsoft.Extensions.Time.Testing;

namespace HospitalFed.Aggregator.Tests;

/// <summary>The aggregator's live status for its dashboard: connections counted per stream, last calls, versions, verdicts and phase.</summary>
[TestFixture]
public sealed class AggregatorFederationStatusTests
{
    [Test]
    public void Current_BeforeAnyConnection_EveryInvitedSiteKnownAndDisconnected()
    {
        var status = new AggregatorFederationStatus("plan", ["b", "a"], new FakeTimeProvider());

        Assert.That(status.Current.Sites.Select(s => (s.Name, s.Connected, s.LastSeen, s.Version)), Is.EqualTo(new[] { ("a", (bool?)false, (DateTimeOffset?)null, (string?)null), ("b", false, null, null) }));
    }

    [Test]
    public void Connected_ReplacedStreamClosesLate_SiteStaysConnectedUntilItsLastStreamCloses()
    {
        var time = new FakeTimeProvider();
        var status = new AggregatorFederationStatus("plan", ["a"], time);

        status.Connected("a", "1.0.0+abc");
        status.Connected("a", "1.0.1"); // a reconnect: the new stream opens before the old one's close is seen
        status.Disconnected("a");
        var during = status.Current.Sites.Single();
        time.Advance(TimeSpan.FromSeconds(5));
        status.Disconnected("a");
        var after = status.Current.Sites.Single();

        Assert.That((during.Connected, during.Version), Is.EqualTo(((bool?)true, "1.0.1")));
        Assert.That((after.Connected, after.Version, after.LastSeen), Is.EqualTo(((bool?)false, "1.0.1", (DateTimeOffset?)time.GetUtcNow())));
    }

    [Test]
    public void Seen_ACall_MovesLastSeen()
    {
        var time = new FakeTimeProvider();
        var status = new AggregatorFederationStatus("plan", ["a"], time);
        time.Advance(TimeSpan.FromMinutes(1));

        status.Seen("a");
        status.Seen("not-invited"); // refused elsewhere; not shown as a site

        Assert.That(status.Current.Sites.Single().LastSeen, Is.EqualTo(time.GetUtcNow()));
        Assert.That(status.Current.Sites, Has.Count.EqualTo(1));
    }

    [Test]
    public void PhaseChanged_Round_ShowsThePhaseInWordsAndTheAcceptedVerdicts()
    {
        var status = new AggregatorFederationStatus("plan", ["a", "b"], new FakeTimeProvider());

        status.PhaseChanged(2, OrchestratorPhase.CollectingInputs, ["a"]);
        var now = status.Current;

        Assert.That(now.Rounds.Single().Phase, Is.EqualTo("collecting inputs"));
        Assert.That(now.Rounds.Single().PlanStatus, Is.EqualTo("round 2: collecting inputs"));
        Assert.That(now.Sites.Select(s => s.Verdict), Is.EqualTo(new[] { "accepted the plan", null }));
    }
}
