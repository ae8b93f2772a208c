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

        // Act again: the aggregator restarted on the completed plan reports it and runs nothing.
        var rerunOutput = new StringWriter();
        var rerun = await AggregatorCommands.Create().Parse(["aggregator", "run", "--config", federation.PathOf("aggregator.json")])
            .InvokeAsync(new InvocationConfiguration { Output = rerunOutput, Error = rerunOutput }, cts.Token).WaitAsync(Timeout);
        Assert.That(rerun, Is.Zero, rerunOutput.ToString());
        Assert.That(rerunOutput.ToString(), Does.Contain($"already completed after 3 rounds").And.Contain(final).And.Not.Contain("serving"));
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
    public async Task AggregatorRun_StoredLogEntryAltered_RefusesToResumeNamingTheEntry()
    {
        // Arrange: a first run wrote the governance prefix, then stopped; one bit of entry 1 flips on disk.
        using var federation = new FederationDirectory();
        var config = HospitalFed.Aggregator.Configuration.AggregatorConfig.Load(federation.PathOf("aggregator.json"));
        using (var logs = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
        {
            await using var first = HospitalFed.Aggregator.Hosting.AggregatorRuntime.Create(config, logs);
        }

        FlipOneBit(config.Log, index: 1);
        var error = new StringWriter();

        // Act
        var code = await AggregatorCommands.Create().Parse(["aggregator", "run", "--config", federation.PathOf("aggregator.json")])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }).WaitAsync(Timeout);

        // Assert
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString().Trim(), Does.StartWith("hfed: ").And.Contain("does not verify at entry 1").And.Contain("refusing to resume"));
        Assert.That(error.ToString(), Does.Not.Contain("   at "), "one line, no stack trace");
    }

    [Test]
    public async Task AggregatorRun_RestartedBeforeAnyRound_ResumesWithNothingToAbort()
    {
        // Arrange: a first run wrote the governance prefix, then stopped before any site connected.
        using var federation = new FederationDirectory();
        var config = HospitalFed.Aggregator.Configuration.AggregatorConfig.Load(federation.PathOf("aggregator.json"));
        var logs = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        long size;
        await using (var first = HospitalFed.Aggregator.Hosting.AggregatorRuntime.Create(config, logs))
        {
            size = first.Log.Size;
        }

        // Act
        await using var second = HospitalFed.Aggregator.Hosting.AggregatorRuntime.Create(config, logs);

        // Assert: nothing appended (no second prefix, no abort), waiting for the sites again.
        Assert.That(second.Restored, Is.EqualTo(new HospitalFed.Aggregator.Orchestration.OrchestratorRestore(0, 0, null, second.Orchestrator.Job.Digest())));
        Assert.That(second.Log.Size, Is.EqualTo(size));
        Assert.That(second.Orchestrator.Phase, Is.EqualTo(HospitalFed.Aggregator.Orchestration.OrchestratorPhase.WaitingForSites));
    }

    private static void FlipOneBit(string database, long index)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT line FROM log_entries WHERE idx = $idx";
        read.Parameters.AddWithValue("$idx", index);
        var line = (byte[])read.ExecuteScalar()!;
        line[line.Length / 2] ^= 0x01;
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE log_entries SET line = $line WHERE idx = $idx";
        write.Parameters.AddWithValue("$line", line);
        write.Parameters.AddWithValue("$idx", index);
        Assert.That(write.ExecuteNonQuery(), Is.EqualTo(1));
    }
}
