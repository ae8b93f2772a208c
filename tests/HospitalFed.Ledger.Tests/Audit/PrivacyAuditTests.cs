using System.Text.Json.Nodes;
using HospitalFed.Learning.Privacy;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Audit;

/// <summary>
/// The privacy rule: a genuine log of a plan with differential privacy passes with its spend
/// summarised; logs whose privacy-spend entries a malicious aggregator altered, removed, moved or
/// added (every entry re-signed with its own key) fail with a "privacy budget" failure at the
/// entry that breaks the rule.
/// </summary>
public sealed class PrivacyAuditTests
{
    private const double Epsilon = 3;
    private const double Delta = 1e-5;

    [Test]
    public void Verify_GenuineDpLog_PassesAndSpendsTheCalibratedBudget()
    {
        using var sample = DpSample();

        var result = sample.VerifyFile(sample.File);

        Assert.That(result.Ok, Is.True, result.Failure?.ToString());
        var summary = result.Summary;
        Assert.That(summary.PrivacyRounds, Is.EqualTo(3), "rounds 2..4 train; round 1 pools statistics");
        Assert.That(summary.Rounds.Select(r => r.Privacy is null), Is.EqualTo(new[] { true, false, false, false }));
        // The calibrated noise multiplier makes the plan's training rounds at minContributors fit the budget exactly.
        Assert.That(summary.SpentEpsilon, Is.LessThanOrEqualTo(Epsilon).And.GreaterThan(Epsilon * 0.999));
        Assert.That(summary.PrivacyStatement, Is.EqualTo("spent epsilon 3 of 3 approved (delta 1e-5) over 3 rounds"));
        Assert.That(summary.Rounds[^1].Privacy!.SpentRho, Is.EqualTo(summary.Rounds.Sum(r => r.Privacy?.RoundRho ?? 0)).Within(1e-12));
    }

    [Test]
    public void HtmlReport_GenuineDpLog_StatesTheSpendAndTablesEveryTrainingRound()
    {
        using var sample = DpSample();
        var result = sample.VerifyFile(sample.File);

        var html = HtmlReport.Render(result, "dp.jsonl");

        Assert.That(html, Does.Contain("spent epsilon 3 of 3 approved (delta 1e-5) over 3 rounds"));
        Assert.That(html, Does.Contain("Privacy budget per round"));
        foreach (var spend in result.Summary.Rounds.Select(r => r.Privacy).OfType<PrivacySpendSummary>())
        {
            Assert.That(html, Does.Contain($"<tr><td>{spend.Round}</td><td>3</td>"));
        }

        Assert.That(html, Does.Contain("aria-label=\"spent epsilon per round\""));
    }

    [Test]
    public void Verify_PlanWithoutPrivacy_StatesNone()
    {
        using var sample = new SampleLog();

        var result = sample.VerifyFile(sample.File);

        Assert.That(result.Ok, Is.True);
        Assert.That(result.Summary.PrivacyStatement, Is.EqualTo("none"));
    }

    [TestCase("roundRho", 1.01)]
    [TestCase("spentRho", 1.01)]
    [TestCase("spentRho", 0.5)]
    [TestCase("spentEpsilon", 0.9)]
    [TestCase("scale", 2.0)]
    [TestCase("delta", 0.1)]
    public void Verify_SpendFigureTampered_FailsNamingTheFigure(string field, double factor)
    {
        using var sample = DpSample();
        var entries = LogForger.Entries(sample);
        var index = entries.FindLastIndex(e => e.Kind == LogEntryKind.PrivacySpend);
        entries[index] = Resign(sample.Simulation, entries[index], field, entries[index].Body[field]!.GetValue<double>() * factor);

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.What, Is.EqualTo("privacy budget"));
        Assert.That(result.Failure?.Why, Does.Contain($"round 4 states {field}"));
    }

    [TestCase(2)]
    [TestCase(4)]
    public void Verify_SpendContributorsTampered_FailsNamingBothCounts(int contributors)
    {
        using var sample = DpSample();
        var entries = LogForger.Entries(sample);
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.PrivacySpend);
        entries[index] = Resign(sample.Simulation, entries[index], "contributors", contributors);

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.What, Is.EqualTo("privacy budget"));
        Assert.That(result.Failure?.Why, Does.Contain($"charges {contributors} contributors, but the round has 3 participants"));
    }

    [Test]
    public void Verify_SpendMissing_FailsAtTheAggregate()
    {
        using var sample = DpSample();
        var entries = LogForger.Entries(sample);
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.PrivacySpend);
        entries.RemoveAt(index);

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index), "the aggregate now sits where the spend was");
        Assert.That(result.Failure?.Why, Does.Contain("round 2 released its aggregate without a privacy spend before it"));
    }

    [Test]
    public void Verify_SpendMovedAfterAggregate_FailsAtTheAggregate()
    {
        using var sample = DpSample();
        var entries = LogForger.Entries(sample);
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.PrivacySpend);
        (entries[index], entries[index + 1]) = (entries[index + 1], entries[index]);
        Assert.That(entries[index].Kind, Is.EqualTo(LogEntryKind.Aggregate));

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.What, Is.EqualTo("privacy budget"));
    }

    [Test]
    public void Verify_SecondSpendAfterAggregate_FailsAtThatSpend()
    {
        using var sample = DpSample();
        var entries = LogForger.Entries(sample);
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.Aggregate && e.Round == 2) + 1;
        entries.Insert(index, entries.Find(e => e.Kind == LogEntryKind.PrivacySpend)!);

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.Why, Does.Contain("round 2's spend was logged after its aggregate"));
    }

    [Test]
    public void Verify_SpendInStatisticsRound_Fails()
    {
        using var sample = DpSample();
        var entries = LogForger.Entries(sample);
        var spend = entries.Find(e => e.Kind == LogEntryKind.PrivacySpend)!;
        var index = entries.FindIndex(e => e.Kind == LogEntryKind.Aggregate && e.Round == 1);
        entries.Insert(index, LogEntry.Sign(sample.Simulation.Aggregator, spend.PlanId, new EntryContent(spend.Kind, 1, spend.Body), spend.Time));

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(index));
        Assert.That(result.Failure?.Why, Does.Contain("round 1 pools feature statistics"));
    }

    [Test]
    public void Verify_MetricsUnderPrivacy_Fails()
    {
        using var sample = DpSample();
        var entries = LogForger.Entries(sample);
        var model = entries.FindIndex(e => e.Kind == LogEntryKind.Model && e.Round == 3);
        entries.Insert(model + 1, LogEntry.Sign(sample.Simulation.Aggregator, sample.Plan.Id, LogEntries.Metrics(3, 900, new Dictionary<string, double> { ["auc"] = 0.8 }), entries[model].Time));

        var result = sample.VerifyFile(LogForger.Rebuild(sample.Simulation, entries));

        Assert.That(result.Failure?.Index, Is.EqualTo(model + 1));
        Assert.That(result.Failure?.Why, Does.Contain("round 3 logs pooled metrics"));
    }

    [Test]
    public void Verify_RoundsBeyondTheBudget_FailAtTheSpendThatExceedsIt()
    {
        // Arrange: 2 training rounds calibrated to epsilon 3; aborted rounds still spend (their
        // noised sum may have been decoded), so the third training attempt cannot fit.
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = DpPlan(rounds: 3);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        var model = sim.RunRound(log, plan, 1, ConsortiumSimulation.InitialModel, []);
        var spends = new PrivacySpends(plan, ConsortiumSimulation.HeartDiseaseDimension);
        for (var round = 2; round <= 3; round++)
        {
            Collect(sim, log, plan, round, model);
            log.AppendSigned(sim.Aggregator, spends.Next(round, 3, 3));
            log.AppendSigned(sim.Aggregator, LogEntries.RoundAborted(round, "decoding failed"));
        }

        Collect(sim, log, plan, 4, model);
        Assert.Throws<InvalidOperationException>(() => spends.Next(4, 3, 3), "the aggregator's accountant stops the plan");
        var mechanism = plan.Privacy!.Round(ConsortiumSimulation.HeartDiseaseDimension, 3);
        var roundRho = mechanism.RoundRho(3);
        var spentRho = spends.SpentRho + roundRho;
        var beyond = LogEntry.Sign(sim.Aggregator, plan.Id, LogEntries.PrivacySpend(4, 3, ConsortiumSimulation.HeartDiseaseDimension, mechanism.Scale, roundRho, spentRho, ZcdpConversion.Epsilon(spentRho, Delta), Delta), sim.Time.GetUtcNow());

        // Act
        Assert.Throws<InvalidOperationException>(() => log.Append(beyond), "the round log refuses it too");
        var result = LogForger.VerifyAppended(sim, store, beyond);

        // Assert
        Assert.That(result.Failure?.Index, Is.EqualTo(store.Count));
        Assert.That(result.Failure?.What, Is.EqualTo("privacy budget"));
        Assert.That(result.Failure?.Why, Does.Contain("round 4 brings the spent epsilon to").And.Contain("above the approved epsilon 3"));
    }

    [Test]
    public void RoundLogAppend_AggregateWithoutSpend_IsRefusedSoTheAggregatorCannotReleaseAnUnchargedSum()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = DpPlan(rounds: 3);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        var model = sim.RunRound(log, plan, 1, ConsortiumSimulation.InitialModel, []);
        Collect(sim, log, plan, 2, model);
        var size = log.Size;

        var ex = Assert.Throws<InvalidOperationException>(() => log.AppendSigned(sim.Aggregator, LogEntries.Aggregate(2, new string('b', 64), sim.Sites.Select(s => s.Name))));

        Assert.That(ex!.Message, Does.Contain("round 2 released its aggregate without a privacy spend before it"));
        Assert.That(log.Size, Is.EqualTo(size));
    }

    [Test]
    public void Verify_SpendUnderPlanWithoutPrivacy_Fails()
    {
        using var sim = ConsortiumSimulation.Create(sites: 3);
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        using var store = new MemoryLogStore();
        var log = sim.StartLog(store, plan);
        log.AppendSigned(sim.Aggregator, LogEntries.RoundOpened(1, ConsortiumSimulation.InitialModel, sim.Sites.Select(s => s.Name), sim.Time.GetUtcNow()));
        var spend = LogEntry.Sign(sim.Aggregator, plan.Id, LogEntries.PrivacySpend(1, 3, 16, 1024, 0.1, 0.1, 1.5, 1e-5), sim.Time.GetUtcNow());

        Assert.Throws<InvalidOperationException>(() => log.Append(spend));
        var result = LogForger.VerifyAppended(sim, store, spend);

        Assert.That(result.Failure?.Index, Is.EqualTo(store.Count));
        Assert.That(result.Failure?.What, Is.EqualTo("privacy budget"));
        Assert.That(result.Failure?.Why, Does.Contain("the plan asks for no differential privacy"));
    }

    private static TrainingPlan DpPlan(long rounds) =>
        ConsortiumSimulation.Plan(rounds, privacy: new JsonObject { ["clipNorm"] = 1.0, ["delta"] = Delta, ["epsilon"] = Epsilon });

    private static SampleLog DpSample() =>
        new(rounds: 4, privacy: new JsonObject { ["clipNorm"] = 1.0, ["delta"] = Delta, ["epsilon"] = Epsilon });

    private static void Collect(ConsortiumSimulation sim, RoundLog log, TrainingPlan plan, long round, string model)
    {
        log.AppendSigned(sim.Aggregator, LogEntries.RoundOpened(round, model, sim.Sites.Select(s => s.Name), sim.Time.GetUtcNow().AddMinutes(10)));
        foreach (var site in sim.Sites)
        {
            log.Append(LogEntry.Sign(site, plan.Id, LogEntries.Upload(round, new string('a', 64), 4096), sim.Time.GetUtcNow()));
        }

        log.AppendSigned(sim.Aggregator, LogEntries.Participants(round, sim.Sites.Select(s => s.Name).ToList()));
    }

    private static LogEntry Resign(ConsortiumSimulation sim, LogEntry entry, string field, JsonNode value)
    {
        var body = (JsonObject)entry.Body.DeepClone();
        body[field] = value;
        return LogEntry.Sign(sim.Aggregator, entry.PlanId, new EntryContent(entry.Kind, entry.Round, body), entry.Time);
    }
}
