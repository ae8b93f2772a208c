using System.CommandLine;
using HospitalFed.Cli.Commands;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>A service that fails to start says why in its log file, not only on a console nobody reads.</summary>
public sealed class ServiceLogFileTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task SiteRun_MissingConfig_LogsTheReasonToTheLogFileAndStderr()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-svc-");
        var log = Path.Combine(directory.FullName, "site.log");
        var missing = Path.Combine(directory.FullName, "absent.json");
        var error = new StringWriter();

        // Act
        var code = await SiteCommands.Create().Parse(["site", "run", "--config", missing, "--log-file", log])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }).WaitAsync(Timeout);

        // Assert
        Assert.That(code, Is.Not.Zero);
        Assert.That(error.ToString(), Does.StartWith("hfed: ").And.Contain("absent.json"));
        Assert.That(error.ToString(), Does.Not.Contain("service stopped"), "the console gets the reason once, as the hfed: line");
        Assert.That(File.ReadAllText(log), Does.Contain("crit HospitalFed.Service: service stopped: ").And.Contain("absent.json"));
        directory.Delete(recursive: true);
    }

    [Test]
    public async Task AggregatorRun_MissingConfig_LogsTheReasonToTheLogFile()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("hfed-svc-");
        var log = Path.Combine(directory.FullName, "aggregator.log");
        var missing = Path.Combine(directory.FullName, "absent.json");

        // Act
        var code = await AggregatorCommands.Create().Parse(["aggregator", "run", "--config", missing, "--log-file", log])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }).WaitAsync(Timeout);

        // Assert
        Assert.That(code, Is.Not.Zero);
        Assert.That(File.ReadAllText(log), Does.Contain("crit HospitalFed.Service: service stopped: ").And.Contain("absent.json"));
        directory.Delete(recursive: true);
    }
}
