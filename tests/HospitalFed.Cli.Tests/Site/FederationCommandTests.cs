using System.CommandLine;
using HospitalFed.Cli.Commands;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>`hfed aggregator run` and `hfed site run` from config files, in one process over loopback mutual TLS.</summary>
public sealed class FederationCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Test]
    public async Task AggregatorAndSitesRun_FromConfigFiles_PlanCompletesEverywhere()
    {
        // Arrange
        using var federation = new FederationDirectory();
        using var cts = new CancellationTokenSource(Timeout);
        var aggregatorOutput = new StringWriter();
        var siteOutputs = federation.Sites.Select(_ => new StringWriter()).ToList();

        // Act
        var aggregator = AggregatorCommands.Create().Parse(["aggregator", "run", "--config", federation.PathOf("aggregator.json")])
            .InvokeAsync(new InvocationConfiguration { Output = aggregatorOutput, Error = aggregatorOutput }, cts.Token);
        var sites = federation.Sites.Select((name, k) => SiteCommands.Create().Parse(["site", "run", "--config", federation.PathOf($"{name}.json")])
            .InvokeAsync(new InvocationConfiguration { Output = siteOutputs[k], Error = siteOutputs[k] }, cts.Token)).ToList();
        var siteCodes = await Task.WhenAll(sites).WaitAsync(Timeout);
        var aggregatorCode = await aggregator.WaitAsync(Timeout);

        // Assert
        Assert.That(aggregatorCode, Is.Zero, aggregatorOutput.ToString());
        Assert.That(aggregatorOutput.ToString(), Does.Contain("plan completed"));
        var final = System.Text.RegularExpressions.Regex.Match(aggregatorOutput.ToString(), "final model ([0-9a-f]{64})").Groups[1].Value;
        Assert.That(File.Exists(federation.PathOf(Path.Combine("models", final + ".model"))), Is.True, "the final model is stored under its digest");
        Assert.That(siteOutputs.Select(o => o.ToString()), Is.All.Contain(final), "every site holds the model the aggregator stored and logged");
        Assert.That(siteCodes, Is.All.Zero, string.Join("\n", siteOutputs));
        Assert.That(siteOutputs.Select(o => o.ToString()), Is.All.Contain("plan completed after round 3"));
    }

    [Test]
    public async Task AggregatorRun_OneApprovalOfTwo_RefusesWithOneLine()
    {
        // Arrange
        using var federation = new FederationDirectory(approvals: 1);
        var error = new StringWriter();

        // Act
        var code = await AggregatorCommands.Create().Parse(["aggregator", "run", "--config", federation.PathOf("aggregator.json")])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }).WaitAsync(Timeout);

        // Assert
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString().Trim(), Does.StartWith("hfed: ").And.Contain("1 valid approvals of the 2 required"));
    }

    [Test]
    public async Task AggregatorRun_LogAlreadyHoldsThePlan_RefusesToResume()
    {
        // Arrange: a first run wrote the governance prefix, then stopped.
        using var federation = new FederationDirectory();
        var config = HospitalFed.Aggregator.Configuration.AggregatorConfig.Load(federation.PathOf("aggregator.json"));
        using (var logs = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
        {
            await using var first = HospitalFed.Aggregator.Hosting.AggregatorRuntime.Create(config, logs);
        }

        var error = new StringWriter();

        // Act
        var code = await AggregatorCommands.Create().Parse(["aggregator", "run", "--config", federation.PathOf("aggregator.json")])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }).WaitAsync(Timeout);

        // Assert
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("already holds").And.Contain("not supported"));
    }
}
