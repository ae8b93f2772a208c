using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands.Demo;

namespace HospitalFed.IntegrationTests;

/// <summary>Faults at a site, with real aggregator and site processes on loopback.</summary>
[TestFixture]
public sealed class SiteFaultTests
{
    [Test]
    public async Task Federation_OneSiteExtractCorrupt_ItsPreflightFailsClearlyAndTheOthersComplete()
    {
        // Arrange: the demo's consortium on disk; "va" appends a row with a non-numeric age.
        var directory = Directory.CreateTempSubdirectory("hfed-it-").FullName;
        using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, "pairwise");
        File.AppendAllText(files.PathOf("va.train.csv"), "sixty,1,4,140,260,0,1,112,1,3,2,?,?,2\n");
        var aggregatorConfig = JsonNode.Parse(File.ReadAllText(files.PathOf("aggregator.json")))!;
        aggregatorConfig["joinTimeoutSeconds"] = 5; // open with the 3 healthy sites soon after they join
        File.WriteAllText(files.PathOf("aggregator.json"), aggregatorConfig.ToJsonString());

        // Act
        using var check = new HfedProcess("site", "check", "--config", files.PathOf("va.json"), "--timeout", "2");
        var checkCode = await check.WaitAsync(TimeSpan.FromMinutes(1));
        using var aggregator = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
        var sites = new[] { "cleveland", "hungarian", "switzerland", "va" }.Select(n => new HfedProcess("site", "run", "--config", files.PathOf($"{n}.json"))).ToList();
        try
        {
            var codes = await Task.WhenAll(sites.Select(s => s.WaitAsync(TimeSpan.FromMinutes(2))));
            var aggregatorCode = await aggregator.WaitAsync(TimeSpan.FromMinutes(1));

            // Assert
            Assert.That(checkCode, Is.EqualTo(1), check.Output);
            Assert.That(check.Output, Does.Match(@"FAIL\s+extract\s+1 bad row"));
            Assert.That(check.Output, Does.Match(@"va\.train\.csv:\d+:\d+: column 'age'"), "the bad row is listed by file, line and column");
            Assert.That(check.Output, Does.Not.Contain("sixty"), "no patient-level value in the verdict");
            Assert.That(codes[3], Is.EqualTo(2), sites[3].Output);
            Assert.That(sites[3].Output.Trim(), Does.StartWith("hfed: ").And.Contain("va.train.csv"));
            Assert.That(sites[3].Output, Does.Not.Contain("sixty"), "no patient-level value in the service output (journald)");
            Assert.That(codes[..3], Is.All.Zero, string.Join("\n", sites.Select(s => s.Output)));
            Assert.That(aggregatorCode, Is.Zero, aggregator.Output);
            Assert.That(aggregator.Output, Does.Contain("round 3: 3 contributors").And.Contain("plan completed"));
        }
        finally
        {
            sites.ForEach(s => s.Dispose());
            Directory.Delete(directory, recursive: true);
        }
    }
}
