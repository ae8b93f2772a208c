using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Ledger.Log;

namespace HospitalFed.IntegrationTests;

/// <summary>
/// A first aggregator start that fails writes nothing: every check (config, files, plan, schema,
/// approvals) runs before the round log database is created, so the admins add what was missing
/// and start again, without deleting anything. Real aggregator and site processes on loopback.
/// </summary>
[TestFixture]
public sealed class AggregatorStartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Test]
    public async Task AggregatorRun_OneApprovalShortThenApproved_FirstStartWritesNothingAndSecondCompletes()
    {
        // Arrange: the demo consortium with three hospitals, and an aggregator config naming only one of the two approvals.
        var directory = Directory.CreateTempSubdirectory("hfed-it-start-").FullName;
        using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 2, "pairwise", sites: 3);
        var path = files.PathOf("aggregator.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["joinTimeoutSeconds"] = 30;
        config["phaseTimeoutSeconds"] = 20;
        var approvals = config["approvals"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        config["approvals"] = new JsonArray(JsonValue.Create(approvals[0]));
        File.WriteAllText(path, config.ToJsonString());
        var database = files.PathOf("round-log.db");
        var sites = new List<HfedProcess>();
        try
        {
            // Act 1: start one approval short.
            int firstCode;
            string firstOutput;
            using (var first = new HfedProcess("aggregator", "run", "--config", path))
            {
                firstCode = await first.WaitAsync(Timeout);
                firstOutput = first.Output;
            }

            // Assert 1: refused, naming what is missing; the log holds nothing.
            Assert.That(firstCode, Is.Not.Zero, firstOutput);
            Assert.That(firstOutput, Does.Contain("1 valid approvals of the 2 required"));
            Assert.That(!File.Exists(database) || SqliteLogStore.Plans(database).Count == 0, Is.True, "a failed start leaves no log entries");

            // Act 2: the second admin's approval is added; start again with the sites.
            config["approvals"] = new JsonArray([.. approvals.Select(a => JsonValue.Create(a))]);
            File.WriteAllText(path, config.ToJsonString());
            using var second = new HfedProcess("aggregator", "run", "--config", path);
            sites.AddRange(files.Centres.Select(c => new HfedProcess("site", "run", "--config", files.PathOf($"{c.Name}.json"))));
            var codes = await Task.WhenAll(sites.Select(s => s.WaitAsync(Timeout)));
            var secondCode = await second.WaitAsync(Timeout);

            // Assert 2: the plan ran and its log verifies.
            Assert.That(secondCode, Is.Zero, second.Output);
            Assert.That(codes, Is.All.Zero, string.Join("\n", sites.Select(s => s.Output)));
            Assert.That(second.Output, Does.Contain("plan completed"));
            await AssertLogVerifiesAsync(files);
        }
        finally
        {
            sites.ForEach(s => s.Dispose());
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task AggregatorRun_LogInMissingDirectory_CreatedOwnerOnlyOnFirstStart()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Pass("Windows has no mode bits; the directory inherits its parent's ACL");
            return;
        }

        var directory = Directory.CreateTempSubdirectory("hfed-it-start-").FullName;
        using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 2, "pairwise", sites: 3);
        var path = files.PathOf("aggregator.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["log"] = "absent/deeper/round-log.db";
        File.WriteAllText(path, config.ToJsonString());
        try
        {
            using var aggregator = new HfedProcess("aggregator", "run", "--config", path);
            await aggregator.WaitForLineAsync("serving 3 sites", Timeout);

            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.That(File.GetUnixFileMode(Path.Combine(directory, "absent")), Is.EqualTo(ownerOnly), aggregator.Output);
            Assert.That(File.GetUnixFileMode(Path.Combine(directory, "absent", "deeper")), Is.EqualTo(ownerOnly));
            Assert.That(File.GetUnixFileMode(Path.Combine(directory, "absent", "deeper", "models")), Is.EqualTo(ownerOnly), "the models directory beside the log");
            Assert.That(File.Exists(Path.Combine(directory, "absent", "deeper", "round-log.db")), Is.True);
            Assert.That(aggregator.HasExited, Is.False, aggregator.Output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The auditor's path: export the aggregator's round log and verify it offline against the root and CRL.</summary>
    internal static async Task AssertLogVerifiesAsync(FederationDemoFiles files)
    {
        var exported = files.PathOf("round-log.jsonl");
        using var export = new HfedProcess("audit", "export", files.PathOf("round-log.db"), "--out", exported);
        Assert.That(await export.WaitAsync(Timeout), Is.Zero, export.Output);
        using var verify = new HfedProcess("audit", "verify", exported, "--root", files.PathOf("root.cert.pem"), "--crl", files.PathOf("consortium.crl.pem"));
        Assert.That(await verify.WaitAsync(Timeout), Is.Zero, verify.Output);
        Assert.That(verify.Output, Does.Contain("verdict").And.Contain("OK"));
    }
}
