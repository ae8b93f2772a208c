using HospitalFed.Dashboard.Internal;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Dashboard.Tests.Views;

/// <summary>The views folded from a real signed log agree with what <see cref="LogVerifier"/> (independent code) reads from it.</summary>
[TestFixture]
public sealed class PlanViewTests
{
    [Test]
    public void Apply_CompleteLog_RoundsMetricsAndApprovalsMatchTheVerifiersSummary()
    {
        using var sim = ConsortiumSimulation.Create(sites: 4, admins: 3, threshold: 2);
        var plan = ConsortiumSimulation.Plan(rounds: 3);
        using var store = new MemoryLogStore();
        sim.BuildLog(store, plan, countersigningSites: 2);
        var lines = store.ReadAll().ToList();
        var summary = new LogVerifier(sim.Root, sim.Revocation).Verify(lines).Summary;

        var view = Fold(plan.Id, lines);

        Assert.That(view.Size, Is.EqualTo(summary.Entries));
        Assert.That(view.Plan!.Id, Is.EqualTo(plan.Id));
        Assert.That(view.Approvals.Select(a => a.Admin), Is.EquivalentTo(summary.PlanApprovers));
        Assert.That(view.Rounds.Select(r => r.Number), Is.EqualTo(summary.Rounds.Select(r => r.Round)));
        Assert.That(view.Rounds.Select(r => r.Uploads.Select(u => u.Site)), Is.EqualTo(summary.Rounds.Select(r => r.Uploads)));
        Assert.That(view.Rounds.Select(r => r.Metrics), Is.EqualTo(summary.Rounds.Select(r => r.Metrics)));
        Assert.That(view.TreeHeads, Is.EqualTo(summary.TreeHeads));
        Assert.That(view.Countersignatures.Values.Sum(c => c.Count), Is.EqualTo(summary.Countersignatures));
        Assert.That(view.LatestHead!.Value.Size, Is.EqualTo(summary.LastHeadSize));
        Assert.That(view.Status(sim.Config.ApprovalThreshold), Is.EqualTo("completed"));
    }

    [Test]
    public void Apply_RoundWithDropout_ShowsTheDropoutAndItsStage()
    {
        using var sim = ConsortiumSimulation.Create(sites: 4, admins: 2);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        sim.RunRound(log, plan, 1, ConsortiumSimulation.InitialModel, [], dropouts: 1);

        var round = Fold(plan.Id, store.ReadAll()).Rounds.Single();

        var dropped = sim.Sites[^1].Name;
        Assert.That(round.Dropouts.Select(d => (d.Site, d.Stage)), Is.EqualTo(new[] { (dropped, "masked-input") }));
        Assert.That(round.Contributors, Does.Not.Contain(dropped).And.Count.EqualTo(3));
        Assert.That(round.Phase, Is.EqualTo("evaluated"));
    }

    [Test]
    public void PhaseTimes_FinishedRound_ConsecutiveAndSumToOpenToMetrics()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3, admins: 2);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        sim.BuildLog(store, plan, countersigningSites: 0);
        var entries = store.ReadAll().Select(l => LogLine.Decode(l, out _)).Where(e => e.Round == 1).ToList();

        var round = Fold(plan.Id, store.ReadAll()).Rounds[0];

        var opened = entries.Single(e => e.Kind == LogEntryKind.RoundOpened).Time;
        var metrics = entries.Single(e => e.Kind == LogEntryKind.Metrics).Time;
        var times = round.PhaseTimes();
        Assert.That(times.Select(t => t.Phase), Is.EqualTo(new[] { "train, protect and upload", "aggregate", "publish model", "evaluate" }));
        Assert.That(times.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Duration), Is.EqualTo(metrics - opened));
        Assert.That(times.Select(t => t.Duration), Has.All.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public void Status_PlanWithFewerApprovalsThanTheThreshold_SaysHowManyOfHowMany()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3, admins: 3, threshold: 2);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        sim.StartLog(store, plan, approvals: 2);

        var view = Fold(plan.Id, store.ReadAll());

        Assert.That(view.Status(3), Is.EqualTo("awaiting approvals (2 of 3)"));
        Assert.That(view.Decisions.Keys, Is.EqualTo(sim.Sites.Select(s => s.Name)));
    }

    private static PlanView Fold(string planId, IEnumerable<byte[]> lines)
    {
        var view = new PlanView(planId);
        foreach (var line in lines)
        {
            view.Apply(LogLine.Decode(line, out _));
        }

        return view;
    }
}
