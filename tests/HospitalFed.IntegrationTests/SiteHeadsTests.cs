using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// Sites countersign the aggregator's tree heads in a real deployment (aggregator and four site
/// processes on loopback), export them with <c>hfed site heads export</c>, and an auditor holding
/// them catches a log cut before its last round, or rewritten and re-signed with the aggregator's
/// key, which the log alone cannot show.
/// </summary>
[TestFixture]
public sealed class SiteHeadsTests
{
    private static readonly string[] Hospitals = ["cleveland", "hungarian", "switzerland", "va"];
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Test]
    public async Task AuditVerify_RealRunWithSitesHeads_UncutVerifiesCutAndForkedLogsFail()
    {
        // Arrange: a real federation of 3 rounds, then the auditor's files.
        var directory = Directory.CreateTempSubdirectory("hfed-it-heads-").FullName;
        using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, "pairwise");
        var processes = new List<HfedProcess> { new("aggregator", "run", "--config", files.PathOf("aggregator.json")) };
        processes.AddRange(Hospitals.Select(n => new HfedProcess("site", "run", "--config", files.PathOf($"{n}.json"))));
        try
        {
            var codes = await Task.WhenAll(processes.Select(p => p.WaitAsync(Timeout)));
            Assert.That(codes, Is.All.Zero, string.Join("\n", processes.Select(p => p.Output)));
            Assert.That(Hospitals.Select(h => $"Site {h} countersigned the tree head of size"), Is.All.Matches<string>(processes[0].Output.Contains), processes[0].Output);
            var heads = new List<string>();
            foreach (var hospital in Hospitals)
            {
                var path = files.PathOf($"{hospital}.heads.jsonl");
                var export = await RunAsync("site", "heads", "export", "--config", files.PathOf($"{hospital}.json"), "--out", path);
                Assert.That(export.Code, Is.Zero, export.Output);
                Assert.That(export.Output, Does.Contain("countersigned tree heads"));
                heads.AddRange(["--head", path]);
            }

            var log = files.PathOf("round-log.jsonl");
            Assert.That((await RunAsync("audit", "export", files.PathOf("round-log.db"), "--out", log)).Code, Is.Zero);
            var lines = File.ReadAllLines(log);
            var lastRound = Array.FindLastIndex(lines, l => Decode(l).Kind == LogEntryKind.RoundOpened);
            File.WriteAllLines(files.PathOf("cut.jsonl"), lines.Take(lastRound));
            File.WriteAllBytes(files.PathOf("forked.jsonl"), await ForkAsync(files, lines));

            // Act
            var whole = await VerifyAsync(files, log, heads);
            var cutAlone = await VerifyAsync(files, files.PathOf("cut.jsonl"), []);
            var cut = await VerifyAsync(files, files.PathOf("cut.jsonl"), heads);
            var forkedAlone = await VerifyAsync(files, files.PathOf("forked.jsonl"), []);
            var forked = await VerifyAsync(files, files.PathOf("forked.jsonl"), heads);

            // Assert
            Assert.That(whole.Code, Is.Zero, whole.Output);
            Assert.That(whole.Output, Does.Match(@"signed tree heads\s*\|\s*\d+ \([1-9]\d* countersignatures\)"));
            Assert.That(whole.Output, Does.Match(@"held heads checked\s*\|\s*[1-9]"));
            Assert.That(cutAlone.Code, Is.Zero, "without the sites' heads the cut log looks whole: " + cutAlone.Output);
            Assert.That(cut.Code, Is.Not.Zero);
            Assert.That(cut.Output, Does.Contain("verification FAILED").And.Contain("truncation"));
            Assert.That(forkedAlone.Code, Is.Zero, "re-signed with the aggregator's key, the forked log verifies on its own: " + forkedAlone.Output);
            Assert.That(forked.Code, Is.Not.Zero);
            Assert.That(forked.Output, Does.Contain("verification FAILED").And.Contain("fork"));
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
            Assert.That(processes.All(p => p.HasExited), Is.True, "no process left behind");
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// What the holder of the aggregator's key can do after the run: rewrite the last round's metrics,
    /// re-sign them and a new final head. The sites' countersignatures of the old head cannot be
    /// forged, so they are left out.
    /// </summary>
    private static async Task<byte[]> ForkAsync(FederationDemoFiles files, string[] lines)
    {
        var config = JsonNode.Parse(File.ReadAllText(files.PathOf("aggregator.json")))!;
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.GetFullPath(config["certificate"]!.GetValue<string>(), files.Directory));
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.GetFullPath(config["key"]!.GetValue<string>(), files.Directory)));
        using var aggregator = new SigningIdentity(certificate, key);
        var metricsAt = Array.FindLastIndex(lines, l => Decode(l).Kind == LogEntryKind.Metrics);
        var metrics = Decode(lines[metricsAt]);
        using var store = new MemoryLogStore();
        var log = new RoundLog(store, files.Root, files.Revocation);
        foreach (var line in lines.Take(metricsAt))
        {
            log.Append(Decode(line));
        }

        var values = metrics.Body["values"]!.AsObject().ToDictionary(v => v.Key, v => v.Value!.GetValue<double>() * 0.5 + 0.5);
        log.AppendSigned(aggregator, LogEntries.Metrics(metrics.Round, metrics.Body["samples"]!.GetValue<long>(), values));
        log.SignTreeHead(aggregator);
        using var output = new MemoryStream();
        await log.ExportAsync(output, CancellationToken.None).WaitAsync(Timeout);
        return output.ToArray();
    }

    private static LogEntry Decode(string line) => LogLine.Decode(Encoding.UTF8.GetBytes(line), out _);

    private static Task<(int Code, string Output)> VerifyAsync(FederationDemoFiles files, string log, IEnumerable<string> heads) =>
        RunAsync(["audit", "verify", log, "--root", files.PathOf("root.cert.pem"), "--crl", files.PathOf("consortium.crl.pem"), .. heads]);

    private static async Task<(int Code, string Output)> RunAsync(params string[] arguments)
    {
        using var process = new HfedProcess(arguments);
        var code = await process.WaitAsync(TimeSpan.FromMinutes(1));
        return (code, process.Output);
    }
}
