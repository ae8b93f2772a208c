using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HospitalFed.Learning.Metrics;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Audit;

public sealed partial class HtmlReportTests
{
    [Test]
    public void Render_RoundsWithCalibrationMetrics_ChartsHeadlineMetricsOnlyAndTablesTheLastCalibration()
    {
        // Arrange: two rounds whose metrics are a real pooled report (with its 10-bin calibration table).
        using var sim = ConsortiumSimulation.Create(sites: 3);
        using var store = new MemoryLogStore();
        var plan = ConsortiumSimulation.Plan(rounds: 2);
        var log = sim.StartLog(store, plan);
        var first = Report([0.2f, 0.7f, 0.4f, 0.9f], [0f, 1f, 1f, 1f]);
        var second = Report([0.1f, 0.35f, 0.65f, 0.95f], [0f, 0f, 1f, 1f]);
        var model = ConsortiumSimulation.InitialModel;
        foreach (var (round, metrics) in new[] { (1L, first), (2L, second) })
        {
            var sites = sim.Sites.Select(s => s.Name).ToArray();
            log.AppendSigned(sim.Aggregator, LogEntries.RoundOpened(round, model, sites, sim.Time.GetUtcNow()));
            foreach (var site in sim.Sites)
            {
                log.Append(LogEntry.Sign(site, plan.Id, LogEntries.Upload(round, Digest($"upload {round} {site.Name}"), 4096), sim.Time.GetUtcNow()));
            }

            log.AppendSigned(sim.Aggregator, LogEntries.Participants(round, sites));
            log.AppendSigned(sim.Aggregator, LogEntries.Aggregate(round, Digest($"aggregate {round}"), sites));
            var next = Digest($"model {round}");
            log.AppendSigned(sim.Aggregator, LogEntries.Model(round, model, next));
            log.AppendSigned(sim.Aggregator, LogEntries.Metrics(round, 4, metrics));
            model = next;
        }

        var result = new LogVerifier(sim.Root, sim.Revocation).Verify([.. store.ReadAll()]);

        // Act
        var html = HtmlReport.Render(result, "log.jsonl");

        // Assert
        var charts = ChartTitle().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Ok, Is.True, result.Failure?.ToString());
            Assert.That(charts, Has.None.StartsWith("calibration").And.None.EqualTo("auc_error_bound"));
            Assert.That(charts, Does.Contain("auc (band: error bound)").And.Contain("brier").And.Contain("ece").And.Contain("balanced_accuracy"));
            Assert.That(html, Does.Contain("<h3>Calibration, round 2</h3>"));
            Assert.That(html, Does.Contain("<tr><td>0.6-0.7</td><td>1</td><td>0.65</td><td>1</td></tr>"), "round 2's bin, not round 1's");
            Assert.That(html, Does.Contain("auc 1 +/- 0"), "the rounds table shows the AUC with its bound");
        });
    }

    private static Dictionary<string, double> Report(float[] probabilities, float[] labels) =>
        BinaryEvaluationSums.From(probabilities, labels).Report().Where(m => m.Key != "test_rows").ToDictionary();

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex("<svg [^>]*aria-label=\"([^\"]*) per round\"")]
    private static partial Regex ChartTitle();
}
