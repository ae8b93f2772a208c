using System.Text.Json.Nodes;
using HospitalFed.Cli.Commands.Demo;

namespace HospitalFed.IntegrationTests;

/// <summary>A site holding a certificate from another CA, with real aggregator and site processes on loopback.</summary>
[TestFixture]
public sealed class ForeignCaSiteTests
{
    [Test]
    public async Task Federation_SiteCertifiedByAnotherCa_RefusedAtTheHandshakeWhileTheOthersComplete()
    {
        // Arrange: "va" gets a key and a site certificate (same name) from a CA made with `hfed pki init`
        // elsewhere; it keeps the consortium root, so it still trusts the real aggregator.
        var directory = Directory.CreateTempSubdirectory("hfed-it-foreign-").FullName;
        using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, "pairwise");
        var foreign = Path.Combine(directory, "foreign-ca");
        var passphrase = Path.Combine(directory, "foreign.passphrase");
        File.WriteAllText(passphrase, "a passphrase nobody in the consortium knows");
        await RunAsync("pki", "init", "--dir", foreign, "--name", "Rogue Root", "--passphrase-file", passphrase);
        await RunAsync("site", "init", "--name", "va", "--dir", foreign);
        await RunAsync("pki", "sign", "--ca", foreign, "--csr", Path.Combine(foreign, "va.csr.pem"), "--role", "site", "--out", Path.Combine(foreign, "va.cert.pem"), "--passphrase-file", passphrase);
        var va = JsonNode.Parse(File.ReadAllText(files.PathOf("va.json")))!;
        va["certificate"] = Path.Combine(foreign, "va.cert.pem");
        va["key"] = Path.Combine(foreign, "va.key.pem");
        File.WriteAllText(files.PathOf("va.json"), va.ToJsonString());
        var aggregatorConfig = JsonNode.Parse(File.ReadAllText(files.PathOf("aggregator.json")))!;
        aggregatorConfig["joinTimeoutSeconds"] = 10; // open with the 3 consortium sites once va has not joined
        File.WriteAllText(files.PathOf("aggregator.json"), aggregatorConfig.ToJsonString());

        using var aggregator = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
        var sites = new List<HfedProcess>();
        try
        {
            await aggregator.WaitForLineAsync("serving 4 sites", TimeSpan.FromMinutes(1));

            // Act: the foreign site's preflight dials the aggregator; its service refuses to start.
            using var check = new HfedProcess("site", "check", "--config", files.PathOf("va.json"), "--timeout", "5");
            var checkCode = await check.WaitAsync(TimeSpan.FromMinutes(1));
            using var rogue = new HfedProcess("site", "run", "--config", files.PathOf("va.json"));
            var rogueCode = await rogue.WaitAsync(TimeSpan.FromMinutes(1));
            sites.AddRange(new[] { "cleveland", "hungarian", "switzerland" }.Select(n => new HfedProcess("site", "run", "--config", files.PathOf($"{n}.json"))));
            var codes = await Task.WhenAll(sites.Select(s => s.WaitAsync(TimeSpan.FromMinutes(2))));
            var aggregatorCode = await aggregator.WaitAsync(TimeSpan.FromMinutes(1));

            // Assert: refused by the aggregator at the TLS handshake, and by the site itself before it dials.
            Assert.That(checkCode, Is.EqualTo(1), check.Output);
            Assert.That(check.Output, Does.Match(@"FAIL\s+certificate\s+").And.Match(@"FAIL\s+connectivity\s+"));
            Assert.That(aggregator.Output, Does.Match(@"Refused a TLS client from 127\.0\.0\.1:\d+: "), "the aggregator logs the refusal");
            Assert.That(rogueCode, Is.Not.Zero, rogue.Output);
            Assert.That(rogue.Output.Trim(), Does.StartWith("hfed: "));
            Assert.That(rogue.Output, Does.Not.Contain("   at "), "one clear line, no stack trace");
            Assert.That(aggregator.Output, Does.Not.Contain("Site va subscribed"));
            Assert.That(codes, Is.All.Zero, string.Join("\n", sites.Select(s => s.Output)));
            Assert.That(aggregatorCode, Is.Zero, aggregator.Output);
            Assert.That(aggregator.Output, Does.Contain("round 1: 3 contributors").And.Contain("round 3: 3 contributors").And.Contain("plan completed"));
        }
        finally
        {
            sites.ForEach(s => s.Dispose());
            aggregator.Dispose();
            Assert.That(sites.Append(aggregator).All(p => p.HasExited), Is.True, "no process left behind");
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunAsync(params string[] arguments)
    {
        using var process = new HfedProcess(arguments);
        Assert.That(await process.WaitAsync(TimeSpan.FromMinutes(1)), Is.Zero, process.Output);
    }
}
