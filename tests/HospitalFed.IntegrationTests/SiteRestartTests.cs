using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands.Demo;

namespace HospitalFed.IntegrationTests;

/// <summary>A site process SIGKILLed mid-round and started again with the same config, on loopback.</summary>
[TestFixture]
public sealed class SiteRestartTests
{
    private static readonly string[] Hospitals = ["cleveland", "hungarian", "switzerland", "va"];

    [Test]
    public async Task Federation_SiteKilledAfterItsUploadAndRestarted_ResumesFromItsStateAndFinishesThePlan()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-it-site-restart-").FullName;
        using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, "pairwise");
        var config = JsonNode.Parse(File.ReadAllText(files.PathOf("aggregator.json")))!;
        config["joinTimeoutSeconds"] = 30;
        config["phaseTimeoutSeconds"] = 10; // the phase the killed site misses closes after this
        File.WriteAllText(files.PathOf("aggregator.json"), config.ToJsonString());
        using var aggregator = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
        var sites = Hospitals.ToDictionary(n => n, n => new HfedProcess("site", "run", "--config", files.PathOf($"{n}.json")));
        HfedProcess? restarted = null;
        try
        {
            // Act: kill the first site whose round-2 input is in, then start it again.
            var upload = await aggregator.WaitForLineAsync(@"Site (\w+) uploaded its masked input for round 2\b", TimeSpan.FromMinutes(2));
            var name = upload.Groups[1].Value;
            sites[name].Kill();
            var state = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, $"{name}.state", "plan-state.json")))!;
            restarted = new HfedProcess("site", "run", "--config", files.PathOf($"{name}.json"));
            var codes = await Task.WhenAll(sites.Where(s => s.Key != name).Select(s => s.Value).Append(restarted).Select(s => s.WaitAsync(TimeSpan.FromMinutes(2))));
            var aggregatorCode = await aggregator.WaitAsync(TimeSpan.FromMinutes(1));

            // Assert: the state written before the kill said round 2 was joined; the restarted process
            // did not decide again, finished the plan and saved its final state.
            Assert.That(state["lastJoinedRound"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(state["decision"]!.GetValue<string>(), Does.Contain("site-decision"));
            Assert.That(codes, Is.All.Zero, string.Join("\n", sites.Values.Append(restarted).Select(s => s.Output)));
            Assert.That(aggregatorCode, Is.Zero, aggregator.Output);
            var output = aggregator.Output;
            Assert.That(output, Does.Contain("round 2: 4 contributors").And.Contain("round 3: 4 contributors").And.Contain("plan completed"));
            Assert.That(System.Text.RegularExpressions.Regex.Matches(output, $@"Site {name} subscribed").Count, Is.EqualTo(2));
            Assert.That(restarted.Output, Does.Contain("plan completed after round 3").And.Not.Contain("PlanOffer"));
            var final = System.Text.RegularExpressions.Regex.Match(output, "final model ([0-9a-f]{64})").Groups[1].Value;
            var path = Path.Combine(directory, $"{name}.state", "plan-state.json");
            var saved = JsonNode.Parse(File.ReadAllText(path))!;
            Assert.That((saved["lastCompletedRound"]!.GetValue<long>(), saved["modelDigest"]!.GetValue<string>(), saved["planCompleted"]!.GetValue<bool>()), Is.EqualTo((3L, final, true)));
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
        }
        finally
        {
            foreach (var site in sites.Values)
            {
                site.Dispose();
            }

            restarted?.Dispose();
            aggregator.Dispose();
            Assert.That(sites.Values.Append(aggregator).All(p => p.HasExited) && (restarted?.HasExited ?? true), Is.True, "no process left behind");
            Directory.Delete(directory, recursive: true);
        }
    }
}
