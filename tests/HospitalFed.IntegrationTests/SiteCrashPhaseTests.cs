using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Ledger.Log;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// One site SIGKILLed at each point of round 1, deterministically: the site's test-only fault hook
/// (HFED_TEST_FAULT, <c>SiteFaultInjection</c>) kills its own process when the named task arrives or
/// half-way through its first upload chunk, with real aggregator and site processes on loopback.
/// Four sites, t = 3, minSites = 3: one lost site never stops the plan.
/// </summary>
[TestFixture]
public sealed class SiteCrashPhaseTests
{
    private static readonly string[] Hospitals = ["cleveland", "hungarian", "switzerland", "va"];
    private static readonly TimeSpan LineTimeout = TimeSpan.FromMinutes(2);
    private const string Victim = "va";

    [TestCase("Invitation", "advertise-keys", TestName = "Federation_SiteKilledOnItsInvitation_PlanCompletesWithTheOthers")]
    [TestCase("Shares", "masked-input", TestName = "Federation_SiteKilledBeforeItsUpload_PlanCompletesWithTheOthers")]
    [TestCase("upload", "masked-input", TestName = "Federation_SiteKilledMidUpload_PartialUploadDiscardedAndPlanCompletes")]
    [TestCase("Survivors", null, TestName = "Federation_SiteKilledAfterItsUpload_PlanCompletesWithItsInput")]
    [TestCase("Unmask", null, TestName = "Federation_SiteKilledDuringUnmasking_PlanCompletesWithItsInput")]
    public async Task Federation_SiteKilledAtPhase_PlanCompletesWithTheOthers(string point, string? dropoutStage)
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-it-phase-").FullName;
        using var files = Files(directory, "pairwise");
        var aggregator = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
        var sites = Hospitals.ToDictionary(n => n, n => Site(files, n, n == Victim ? $"kill@{point}/1" : null));
        try
        {
            // Act
            var killedCode = await sites[Victim].WaitAsync(LineTimeout);
            var codes = await Task.WhenAll(sites.Where(s => s.Key != Victim).Select(s => s.Value.WaitAsync(TimeSpan.FromMinutes(2))));
            var aggregatorCode = await aggregator.WaitAsync(TimeSpan.FromMinutes(1));

            // Assert: the victim died at the point named, no other process failed, and the plan completed.
            var output = aggregator.Output;
            Assert.That(sites[Victim].Output, Does.Contain($"TEST FAULT kill@{point} injected at round 1"));
            Assert.That(killedCode, Is.EqualTo(137), "SIGKILL");
            Assert.That(codes, Is.All.Zero, string.Join("\n", sites.Values.Select(s => s.Output)));
            Assert.That(aggregatorCode, Is.Zero, output);
            Assert.That(output, Does.Contain("plan completed").And.Not.Contain("aborted"));
            var log = await VerifiedRoundLogAsync(files);
            var dropouts = log.Where(e => e.Kind == LogEntryKind.Dropout && e.Round == 1).ToList();
            if (dropoutStage is null)
            {
                Assert.That(dropouts, Is.Empty, "an input already in the sum is not a dropout");
                Assert.That(Contributors(log, 1), Does.Contain(Victim));
            }
            else
            {
                Assert.That(dropouts.Select(d => (d.Body["site"]!.GetValue<string>(), d.Body["stage"]!.GetValue<string>())), Is.EqualTo(new[] { (Victim, dropoutStage) }));
                Assert.That(Contributors(log, 1), Has.Count.EqualTo(3).And.Not.Contain(Victim));
            }

            if (point == "upload")
            {
                Assert.That(output, Does.Match($@"Discarded the partial upload of {Victim} for round 1 \(\d+ bytes received\)"));
                Assert.That(Directory.GetFiles(Path.Combine(directory, "uploads")), Is.Empty, "the spooled partial upload is deleted");
            }

            Assert.That(Contributors(log, 2), Has.Count.EqualTo(3).And.Not.Contain(Victim));
        }
        finally
        {
            foreach (var site in sites.Values)
            {
                site.Dispose();
            }

            aggregator.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Federation_SiteKilledMidRoundAndRestarted_SitsTheRoundOutAndJoinsTheNext()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-it-phase-").FullName;
        using var files = Files(directory, "pairwise");
        var aggregator = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
        var sites = Hospitals.ToDictionary(n => n, n => Site(files, n, n == Victim ? "kill@Shares/1" : null));
        HfedProcess? restarted = null;
        try
        {
            // Act: the victim dies before its masked upload of round 1 and is started again at once,
            // while round 1 still waits for its input (it has lost that round's secrets).
            Assert.That(await sites[Victim].WaitAsync(LineTimeout), Is.EqualTo(137), sites[Victim].Output);
            restarted = Site(files, Victim, null);
            var codes = await Task.WhenAll(sites.Where(s => s.Key != Victim).Select(s => s.Value).Append(restarted).Select(s => s.WaitAsync(TimeSpan.FromMinutes(2))));
            var aggregatorCode = await aggregator.WaitAsync(TimeSpan.FromMinutes(1));

            // Assert: round 1 completes without it, round 2 with all four; nobody exits non-zero.
            Assert.That(codes, Is.All.Zero, string.Join("\n", sites.Values.Append(restarted).Select(s => s.Output)));
            Assert.That(aggregatorCode, Is.Zero, aggregator.Output);
            var log = await VerifiedRoundLogAsync(files);
            Assert.That(Contributors(log, 1), Has.Count.EqualTo(3).And.Not.Contain(Victim));
            Assert.That(Contributors(log, 2), Has.Count.EqualTo(4).And.Contain(Victim));
        }
        finally
        {
            foreach (var site in sites.Values.Append(restarted!).Where(s => s is not null))
            {
                site.Dispose();
            }

            aggregator.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The demo consortium on disk with 2 rounds and short deadlines.</summary>
    internal static FederationDemoFiles Files(string directory, string protection)
    {
        var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 2, protection);
        var config = JsonNode.Parse(File.ReadAllText(files.PathOf("aggregator.json")))!;
        config["joinTimeoutSeconds"] = 30; // all four join well before; bounds a site that never starts
        config["phaseTimeoutSeconds"] = 6; // the phase the killed site misses closes after this
        File.WriteAllText(files.PathOf("aggregator.json"), config.ToJsonString());
        return files;
    }

    /// <summary>A site process, with the test-only fault <paramref name="fault"/> when given.</summary>
    internal static HfedProcess Site(FederationDemoFiles files, string name, string? fault) => new(
        fault is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["HFED_TEST_FAULT"] = fault },
        "site", "run", "--config", files.PathOf($"{name}.json"));

    /// <summary>The contributors the aggregator signed for <paramref name="round"/>'s aggregate.</summary>
    internal static List<string> Contributors(IReadOnlyList<LogEntry> log, long round) =>
        [.. log.Single(e => e.Kind == LogEntryKind.Aggregate && e.Round == round).Body["contributors"]!.AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>The auditor's path: exports the round log, verifies it offline against the root and the CRL, returns its entries.</summary>
    internal static async Task<IReadOnlyList<LogEntry>> VerifiedRoundLogAsync(FederationDemoFiles files)
    {
        var exported = files.PathOf("round-log.jsonl");
        using var export = new HfedProcess("audit", "export", files.PathOf("round-log.db"), "--out", exported);
        Assert.That(await export.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, export.Output);
        using var verify = new HfedProcess("audit", "verify", exported, "--root", files.PathOf("root.cert.pem"), "--crl", files.PathOf("consortium.crl.pem"));
        Assert.That(await verify.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, verify.Output);
        Assert.That(verify.Output, Does.Contain("verdict").And.Contain("OK"));
        return [.. File.ReadAllLines(exported).Select(line => LogLine.Decode(System.Text.Encoding.UTF8.GetBytes(line), out _))];
    }
}
