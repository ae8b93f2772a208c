using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Jobs;
using HospitalFed.Aggregator.Persistence;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Learning.Data;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// The aggregator SIGKILLed in the middle of a training round and restarted with the same config,
/// with real aggregator and site processes on loopback, for pairwise masking and for CKKS (whose
/// restarted aggregator continues under the collective key of the original set-up, restored from its
/// signed set-up record). Round 1 is the feature-statistics round.
/// </summary>
/// <remarks>
/// The restarted aggregator must abort the interrupted round (logged, signed), never ask for its
/// unmask or decryption shares, and finish the plan's three completed rounds under fresh round numbers, from the
/// last completed model: rounds 1, 3 and 4. The first site to upload is frozen (SIGSTOP) before
/// the kill, so round 2 is certainly still open when the aggregator dies (a round otherwise
/// finishes within milliseconds of its uploads); it is thawed once the new aggregator serves.
/// </remarks>
[TestFixture]
public sealed class AggregatorRestartTests
{
    private static readonly string[] Hospitals = ["cleveland", "hungarian", "switzerland", "va"];
    private static readonly TimeSpan LineTimeout = TimeSpan.FromMinutes(2);

    [TestCase("pairwise")]
    [TestCase("ckks")]
    public async Task Federation_AggregatorKilledAfterUploadsAndRestarted_AbortsTheRoundAndCompletesFromCompletedRoundsOnly(string protection)
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-it-restart-").FullName;
        using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, protection);
        var config = JsonNode.Parse(File.ReadAllText(files.PathOf("aggregator.json")))!;
        config["joinTimeoutSeconds"] = 30;
        config["phaseTimeoutSeconds"] = 20;
        File.WriteAllText(files.PathOf("aggregator.json"), config.ToJsonString());
        var first = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
        HfedProcess? second = null;
        var sites = Hospitals.Select(n => new HfedProcess("site", "run", "--config", files.PathOf($"{n}.json"))).ToList();
        try
        {
            // Act: once a protected input of round 2 is in, freeze that site (so round 2 cannot finish
            // before the phase deadline), SIGKILL the aggregator, start it again, then thaw the site.
            var upload = await first.WaitForLineAsync(@"Site (\w+) uploaded its masked input for round 2\b", LineTimeout);
            var frozen = sites[Array.IndexOf(Hospitals, upload.Groups[1].Value)];
            frozen.Signal("STOP");
            first.Kill();
            second = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
            await second.WaitForLineAsync("serving 4 sites", LineTimeout);
            frozen.Signal("CONT");
            var codes = await Task.WhenAll(sites.Select(s => s.WaitAsync(TimeSpan.FromMinutes(3))));
            var secondCode = await second.WaitAsync(TimeSpan.FromMinutes(1));

            // Assert: the restart aborted round 2 and the plan completed with rounds 1, 3 and 4.
            var output = second.Output;
            Assert.That(first.HasExited, Is.True);
            Assert.That(secondCode, Is.Zero, output);
            Assert.That(codes, Is.All.Zero, string.Join("\n", sites.Select(s => s.Output)));
            Assert.That(output, Does.Contain("1 completed rounds kept; round 2 aborted (aggregator restart)"));
            Assert.That(output, Does.Contain("round 1: 4 contributors").And.Contain("round 3: 4 contributors").And.Contain("round 4: 4 contributors").And.Contain("plan completed"));
            Assert.That(output, Does.Not.Contain("round 2: "), "round 2 produced no aggregate");
            Assert.That(System.Text.RegularExpressions.Regex.Matches(output, @"round 2 phase (\w+)").Select(m => m.Groups[1].Value), Is.EqualTo(new[] { "WaitingForSites" }), "the restarted aggregator never ran, nor asked anything of, round 2");
            Assert.That(sites.Select(s => s.Output), Is.All.Contain("plan completed after round 4"));
            Assert.That(output, Does.Not.Contain("phase Ckks"), "no second CKKS set-up: the sites would refuse it");
            if (protection == "ckks" && !OperatingSystem.IsWindows())
            {
                var record = Path.Combine(directory, "models", files.Plan.Id + ".setup");
                Assert.That(File.GetUnixFileMode(record), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the set-up record is kept next to the archive, 0600");
            }

            var log = await VerifiedRoundLogAsync(files);
            var abort = log.Single(e => e.Kind == LogEntryKind.RoundAborted);
            Assert.That((abort.Round, abort.Body["reason"]!.GetValue<string>()), Is.EqualTo((2L, "aggregator restart")));
            Assert.That(log.Where(e => e.Round == 2).Select(e => e.Kind), Has.Some.EqualTo(LogEntryKind.Upload).And.None.EqualTo(LogEntryKind.Aggregate).And.None.EqualTo(LogEntryKind.Model));
            var final = System.Text.RegularExpressions.Regex.Match(output, "final model ([0-9a-f]{64})").Groups[1].Value;
            Assert.That(ReplayCompletedRounds(files, directory, log), Is.EqualTo(final), "the final model is exactly what the completed rounds' aggregates produce");
            Assert.That(sites.Select(s => s.Output), Is.All.Contain(final));
        }
        finally
        {
            sites.ForEach(s => s.Dispose());
            first.Dispose();
            second?.Dispose();
            Assert.That(sites.Append(first).Append(second!).Where(p => p is not null).All(p => p.HasExited), Is.True, "no process left behind");
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Independently of the aggregator, rebuilds the model from the archived aggregates of the rounds
    /// the log says completed (checking each against its logged model) and the final model file.
    /// </summary>
    private static string ReplayCompletedRounds(FederationDemoFiles files, string directory, IReadOnlyList<LogEntry> log)
    {
        var plan = TrainingPlan.Parse(File.ReadAllBytes(files.PathOf("plan.json")));
        var job = FederatedJobs.Create(plan, ExtractSchema.Load(files.PathOf("heart-disease.schema.json")));
        var archive = new AggregateStore(Path.Combine(directory, "models"));
        long step = 1;
        foreach (var model in log.Where(e => e.Kind == LogEntryKind.Model))
        {
            var invited = log.Single(e => e.Kind == LogEntryKind.RoundOpened && e.Round == model.Round).Body["sites"]!.AsArray().Count;
            var aggregate = log.Single(e => e.Kind == LogEntryKind.Aggregate && e.Round == model.Round).Body["digest"]!.GetValue<string>();
            var quantization = new QuantizationPlan(job.Describe(step).Segments, invited);
            job.Apply(step, archive.Read(aggregate, quantization.Dimension));
            Assert.That(job.Digest(), Is.EqualTo(model.Body["digest"]!.GetValue<string>()), $"round {model.Round}");
            step++;
        }

        var digest = job.Digest();
        var (parameters, _) = new ModelStore(Path.Combine(directory, "models")).Read(digest, job.GlobalModel.Length);
        Assert.That(parameters, Is.EqualTo(job.GlobalModel));
        return digest;
    }

    /// <summary>The auditor's path: export the round log, verify it offline against the root alone, return its entries.</summary>
    private static async Task<IReadOnlyList<LogEntry>> VerifiedRoundLogAsync(FederationDemoFiles files)
    {
        var exported = files.PathOf("round-log.jsonl");
        using var export = new HfedProcess("audit", "export", files.PathOf("round-log.db"), "--out", exported);
        Assert.That(await export.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, export.Output);
        using var verify = new HfedProcess("audit", "verify", exported, "--root", files.PathOf("root.cert.pem"), "--crl", files.PathOf("consortium.crl.pem"));
        Assert.That(await verify.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, verify.Output);
        Assert.That(verify.Output, Does.Contain("verdict").And.Contain("OK"));
        Assert.That(verify.Output, Does.Match(@"rounds aborted\s*\|\s*2 \(aggregator restart\)"));
        return [.. File.ReadAllLines(exported).Select(line => LogLine.Decode(System.Text.Encoding.UTF8.GetBytes(line), out _))];
    }
}
