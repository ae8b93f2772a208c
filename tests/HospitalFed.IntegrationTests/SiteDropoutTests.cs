using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Ledger.Log;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// A site SIGKILLed in the middle of a training round, with real aggregator and site processes on
/// loopback. Round 1 is the feature-statistics round; round 2 is the first training round.
/// </summary>
/// <remarks>
/// What the orchestrator promises (Bonawitz et al., CCS 2017, section 4): a site silent after its
/// masked input arrived stays in the sum, and its self-mask is reconstructed from the survivors'
/// shares; a site silent before that is a dropout, its pairwise masks are reconstructed instead
/// and its input is not in the sum. Either way the round completes with t = 3 of 4, and the next
/// round opens with the 3 sites still connected.
/// </remarks>
[TestFixture]
public sealed class SiteDropoutTests
{
    private static readonly string[] Hospitals = ["cleveland", "hungarian", "switzerland", "va"];
    private static readonly TimeSpan LineTimeout = TimeSpan.FromMinutes(2);

    [Test]
    public async Task Federation_SiteKilledAfterItsMaskedUpload_RoundCompletesByDropoutRecovery()
    {
        using var federation = Federation.Start();

        // Act: kill the first site whose masked input of round 2 is complete, before it can unmask.
        var upload = await federation.Aggregator.WaitForLineAsync(@"Site (\w+) uploaded its masked input for round 2\b", LineTimeout);
        var killed = upload.Groups[1].Value;
        federation.Site(killed).Kill();
        var aggregatorCode = await federation.WaitForEndAsync(killed);

        // Assert: the killed site's input is in round 2's sum; round 3 runs without it.
        var output = federation.Aggregator.Output;
        Assert.That(aggregatorCode, Is.Zero, output);
        Assert.That(output, Does.Contain("round 2: 4 contributors").And.Contain("round 3: 3 contributors").And.Contain("plan completed"));
        Assert.That(output, Does.Contain($"Site {killed} disconnected"));
        Assert.That(output, Does.Not.Contain($"Site {killed} uploaded its masked input for round 3"));
        var log = await federation.VerifiedRoundLogAsync();
        Assert.That(log.Where(e => e.Kind == LogEntryKind.Dropout && e.Round == 2), Is.Empty, "an input already in the sum is not a dropout");
        Assert.That(Contributors(log, 2), Does.Contain(killed));
        Assert.That(Contributors(log, 3), Has.Count.EqualTo(3).And.Not.Contain(killed));
    }

    [Test]
    public async Task Federation_SiteKilledBeforeItsMaskedUpload_SiteExcludedAndRoundCompletes()
    {
        using var federation = Federation.Start();
        const string killed = "va";

        // Act: kill a site the moment the first training round opens.
        await federation.Aggregator.WaitForLineAsync(@"round 2 phase AdvertisingKeys\b", LineTimeout);
        federation.Site(killed).Kill();
        var aggregatorCode = await federation.WaitForEndAsync(killed);

        // Assert: round 2's sum holds the three others only, and round 3 runs with them.
        var output = federation.Aggregator.Output;
        Assert.That(aggregatorCode, Is.Zero, output);
        Assert.That(output, Does.Not.Contain($"Site {killed} uploaded its masked input for round 2"), "killed before its upload");
        Assert.That(output, Does.Contain("round 1: 4 contributors").And.Contain("round 2: 3 contributors").And.Contain("round 3: 3 contributors").And.Contain("plan completed"));
        var log = await federation.VerifiedRoundLogAsync();
        var dropout = log.Single(e => e.Kind == LogEntryKind.Dropout && e.Round == 2);
        Assert.That(dropout.Body["site"]!.GetValue<string>(), Is.EqualTo(killed));
        Assert.That(dropout.Body["stage"]!.GetValue<string>(), Is.AnyOf("advertise-keys", "share-keys", "masked-input"));
        Assert.That(Contributors(log, 2), Has.Count.EqualTo(3).And.Not.Contain(killed));
    }

    /// <summary>The contributors the aggregator signed for <paramref name="round"/>'s aggregate.</summary>
    private static List<string> Contributors(IReadOnlyList<LogEntry> log, long round) =>
        [.. log.Single(e => e.Kind == LogEntryKind.Aggregate && e.Round == round).Body["contributors"]!.AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>The demo consortium on disk, its aggregator and its four hospitals as processes; disposing kills them all.</summary>
    private sealed class Federation : IDisposable
    {
        private readonly string _directory;
        private readonly FederationDemoFiles _files;
        private readonly Dictionary<string, HfedProcess> _sites = new(StringComparer.Ordinal);

        private Federation(string directory, FederationDemoFiles files)
        {
            _directory = directory;
            _files = files;
            Aggregator = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
            foreach (var name in Hospitals)
            {
                _sites[name] = new HfedProcess("site", "run", "--config", files.PathOf($"{name}.json"));
            }
        }

        public HfedProcess Aggregator { get; }

        public static Federation Start()
        {
            var directory = Directory.CreateTempSubdirectory("hfed-it-dropout-").FullName;
            var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, "pairwise");
            var config = JsonNode.Parse(File.ReadAllText(files.PathOf("aggregator.json")))!;
            config["joinTimeoutSeconds"] = 30; // all four join well before; bounds a site that never starts
            config["phaseTimeoutSeconds"] = 10; // the phase the killed site misses closes after this
            File.WriteAllText(files.PathOf("aggregator.json"), config.ToJsonString());
            return new Federation(directory, files);
        }

        public HfedProcess Site(string name) => _sites[name];

        /// <summary>Waits (bounded) for every site but <paramref name="killed"/> to exit 0, then returns the aggregator's exit code.</summary>
        public async Task<int> WaitForEndAsync(string killed)
        {
            var others = _sites.Where(s => s.Key != killed).Select(s => s.Value).ToList();
            var codes = await Task.WhenAll(others.Select(s => s.WaitAsync(TimeSpan.FromMinutes(2))));
            Assert.That(codes, Is.All.Zero, string.Join("\n", others.Select(s => s.Output)));
            return await Aggregator.WaitAsync(TimeSpan.FromMinutes(1));
        }

        /// <summary>The auditor's path: exports the aggregator's round log, verifies it offline against the root alone and returns its entries.</summary>
        public async Task<IReadOnlyList<LogEntry>> VerifiedRoundLogAsync()
        {
            var exported = _files.PathOf("round-log.jsonl");
            using var export = new HfedProcess("audit", "export", _files.PathOf("round-log.db"), "--out", exported);
            Assert.That(await export.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, export.Output);
            using var verify = new HfedProcess("audit", "verify", exported, "--root", _files.PathOf("root.cert.pem"), "--crl", _files.PathOf("consortium.crl.pem"));
            Assert.That(await verify.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, verify.Output);
            Assert.That(verify.Output, Does.Contain("verdict").And.Contain("OK"));
            return [.. File.ReadAllLines(exported).Select(line => LogLine.Decode(System.Text.Encoding.UTF8.GetBytes(line), out _))];
        }

        public void Dispose()
        {
            foreach (var site in _sites.Values)
            {
                site.Dispose();
            }

            Aggregator.Dispose();
            _files.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
