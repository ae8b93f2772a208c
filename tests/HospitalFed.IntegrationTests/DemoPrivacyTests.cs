using System.Globalization;
using System.Text.RegularExpressions;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// `hfed demo --dp-epsilon 3`: the aggregator and four site processes run a plan with differential
/// privacy (5 rounds: public statistics, then 4 noised training rounds), and the auditor's own
/// commands verify the budget from the exported log.
/// </summary>
[TestFixture]
public sealed class DemoPrivacyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Test]
    public async Task Demo_DpEpsilon3_OneSpendPerTrainingRoundAuditWithinBudgetAndAlteredSpendFails()
    {
        // Arrange
        var kept = string.Empty;
        try
        {
            using var demo = new HfedProcess("demo", "--dp-epsilon", "3", "--keep");

            // Act
            var code = await demo.WaitAsync(Timeout);

            // Assert: the demo itself.
            var output = demo.Output;
            Assert.That(code, Is.Zero, output);
            kept = Regex.Match(output, @"kept (\S+); no process left behind").Groups[1].Value;
            Assert.That(kept, Is.Not.Empty, output);
            Assert.That(output, Does.Contain("round 5/5: training, clipping, noising, masking, aggregating"));
            Assert.That(output, Does.Match(@"privacy: spent epsilon \d\.\d+ of 3 approved \(delta 1e-5\) over 4 rounds"));

            // The auditor: export the aggregator's log, verify it, then alter one spend.
            var log = Path.Combine(kept, "round-log.jsonl");
            await Run("audit", "export", Path.Combine(kept, "round-log.db"), "--out", log);
            var lines = await File.ReadAllLinesAsync(log);
            var spends = lines.Select((l, i) => (l, i)).Where(p => p.l.Contains("\"privacy-spend\"", StringComparison.Ordinal)).ToList();
            Assert.That(spends.Select(s => Regex.Match(s.l, "\"round\":(\\d+)").Groups[1].Value), Is.EqualTo(new[] { "2", "3", "4", "5" }), "one spend per training round, none in round 1");
            Assert.That(lines, Has.None.Contains("\"metrics\""), "no pooled metrics under differential privacy");
            var verified = await Run("audit", "verify", log, "--root", Path.Combine(kept, "root.cert.pem"), "--crl", Path.Combine(kept, "consortium.crl.pem"));
            var spent = Regex.Match(verified, @"privacy: spent epsilon (\d+(?:\.\d+)?) of 3 approved \(delta 1e-5\) over 4 rounds");
            Assert.That(spent.Success, Is.True, verified);
            Assert.That(double.Parse(spent.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThan(0).And.LessThanOrEqualTo(3));

            var (line, index) = spends[^1];
            var at = line.IndexOf("\"spentEpsilon\":", StringComparison.Ordinal) + "\"spentEpsilon\":".Length;
            lines[index] = line[..at] + "0" + line[(at + 1)..];
            var altered = Path.Combine(kept, "altered.jsonl");
            await File.WriteAllTextAsync(altered, string.Join('\n', lines) + "\n");
            using var check = new HfedProcess("audit", "verify", altered, "--root", Path.Combine(kept, "root.cert.pem"), "--crl", Path.Combine(kept, "consortium.crl.pem"));
            Assert.That(await check.WaitAsync(Timeout), Is.EqualTo(1), check.Output);
            Assert.That(check.Output, Does.Contain($"verification FAILED at entry {index}:"));
        }
        finally
        {
            if (kept.Length > 0 && Directory.Exists(kept))
            {
                Directory.Delete(kept, recursive: true);
            }
        }
    }

    private static async Task<string> Run(params string[] arguments)
    {
        using var process = new HfedProcess(arguments);
        var code = await process.WaitAsync(Timeout);
        Assert.That(code, Is.Zero, process.Output);
        return process.Output;
    }
}
