using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HospitalFed.Cli.Commands.Demo;

namespace HospitalFed.IntegrationTests;

/// <summary>A site whose own policy declines the plan, with real aggregator and site processes on loopback.</summary>
[TestFixture]
public sealed class SiteDeclineTests
{
    private static readonly string[] Hospitals = ["cleveland", "hungarian", "switzerland", "va"];

    [Test]
    public async Task Federation_SitePolicyDeclinesThePlan_LogsOneDeclineLineAndWaitsWithoutSpinning()
    {
        // Arrange: "va" allows at most 1 round; the plan runs 2, so va declines and the other 3 (the plan's minimum) run it.
        var directory = Directory.CreateTempSubdirectory("hfed-it-decline-").FullName;
        using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 2, "pairwise");
        File.WriteAllText(files.PathOf("va.policy.json"), "{\"maxRounds\": 1}");
        var va = JsonNode.Parse(File.ReadAllText(files.PathOf("va.json")))!;
        va["policy"] = "va.policy.json";
        File.WriteAllText(files.PathOf("va.json"), va.ToJsonString());
        using var aggregator = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
        var sites = Hospitals.ToDictionary(n => n, n => new HfedProcess("site", "run", "--config", files.PathOf($"{n}.json")));
        try
        {
            // Act: the plan runs to completion with the three others; va sees its stream end.
            var codes = await Task.WhenAll(Hospitals[..3].Select(n => sites[n].WaitAsync(TimeSpan.FromMinutes(2))));
            var aggregatorCode = await aggregator.WaitAsync(TimeSpan.FromMinutes(1));
            await sites["va"].WaitForLineAsync("declined it and asks the aggregator for another plan", TimeSpan.FromMinutes(1));

            // Assert: one decline line with the reason, no reconnect loop, and the process still up.
            Assert.That(codes, Is.All.Zero, string.Join("\n", sites.Values.Select(s => s.Output)));
            Assert.That(aggregatorCode, Is.Zero, aggregator.Output);
            var output = sites["va"].Output;
            var declines = Regex.Matches(output, @"Plan [0-9a-f]{16}\S* declined by this site: the plan runs 2 rounds; this site allows at most 1");
            Assert.That(declines, Has.Count.EqualTo(1), output);
            var afterDecline = output[declines[0].Index..];
            Assert.That(afterDecline, Does.Not.Contain("Connection lost").And.Not.Contain("Connected to the aggregator"), "no reconnect after the decline");
            Assert.That(sites["va"].HasExited, Is.False, output);
        }
        finally
        {
            foreach (var site in sites.Values)
            {
                site.Dispose();
            }

            Directory.Delete(directory, recursive: true);
        }
    }
}
