using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Audit;

public sealed class LogVerifierTests
{
    [Test]
    public void Verify_UntouchedLog_PassesWithSummary()
    {
        using var sample = new SampleLog(sites: 3, rounds: 2);

        var result = sample.VerifyFile(sample.File);

        Assert.That(result.Failure, Is.Null, result.Failure?.ToString());
        Assert.That(result.Summary.Rounds, Has.Count.EqualTo(2));
        Assert.That(result.Summary.Rounds.All(r => r.Complete), Is.True);
        Assert.That(result.Summary.PlanApprovers, Has.Count.EqualTo(2));
        Assert.That(result.Summary.Root, Is.EqualTo(Convert.ToHexStringLower(sample.Log.Root())));
    }

    [Test]
    public void Verify_HeldHeadOfAnotherPlan_IsRefusedNotCalledAFork()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        using var storeA = new MemoryLogStore();
        using var storeB = new MemoryLogStore();
        sim.BuildLog(storeA, ConsortiumSimulation.Plan(rounds: 3));
        sim.BuildLog(storeB, ConsortiumSimulation.Plan(rounds: 2));
        var head = (MemoryLogStore store) => store.ReadAll().Select(l => LogLine.Decode(l, out _)).Last(e => e.Kind == LogEntryKind.TreeHead);
        var verifier = new LogVerifier(sim.Root, sim.Revocation);

        var foreign = verifier.Verify([.. storeA.ReadAll()], [head(storeB)]);
        var own = verifier.Verify([.. storeA.ReadAll()], [head(storeA)]);

        Assert.That(foreign.Failure?.What, Is.EqualTo("held tree head"));
        Assert.That(foreign.Failure?.Why, Does.Contain("is for plan"));
        Assert.That(own.Ok, Is.True, own.Failure?.ToString());
    }

    [Test]
    public void HtmlReport_HostileMetricName_IsEncodedAndChartsAreInlineSvg()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        log.AppendSigned(sim.Aggregator, LogEntries.RoundOpened(1, ConsortiumSimulation.InitialModel, sim.Sites.Select(s => s.Name), sim.Time.GetUtcNow()));
        log.AppendSigned(sim.Aggregator, LogEntries.Metrics(1, 10, new Dictionary<string, double> { ["<script>alert(1)</script>"] = 0.5 }));

        var result = new LogVerifier(sim.Root, sim.Revocation).Verify([.. store.ReadAll()]);
        var html = HtmlReport.Render(result, "log<.jsonl");

        Assert.That(result.Ok, Is.True, result.Failure?.ToString());
        Assert.That(html, Does.Not.Contain("<script>"));
        Assert.That(html, Does.Contain("&lt;script&gt;").And.Contain("<svg").And.Contain("log&lt;.jsonl"));
    }
}
