using System.CommandLine;
using HospitalFed.Cli.Commands;
using HospitalFed.Site.Tests;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>`hfed site check`: one verdict line per item; exit 1 when any fails, 2 on a bad config.</summary>
public sealed class SiteCheckCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task SiteCheck_CorruptExtract_PrintsFailForExtractAndExitsOne()
    {
        // Arrange
        using var site = new SiteDirectory();
        File.AppendAllText(site.PathOf("train.csv"), "63.0,1.0,oops,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n");
        var output = new StringWriter();

        // Act
        var exitCode = await SiteCommands.Create().Parse(["site", "check", "--config", site.Config, "--timeout", "5"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }).WaitAsync(Timeout);

        // Assert
        var text = output.ToString();
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(text, Does.Match(@"FAIL\s+extract\s+1 bad row\b.*\n\s+train\.csv:304:"));
        Assert.That(text, Does.Match(@"PASS\s+certificate"));
        Assert.That(text, Does.Contain("not ready"));
    }

    [Test]
    public async Task SiteCheck_ThreeBadRows_ListsAllThreeInOneRun()
    {
        // Arrange: three bad rows, which used to take three runs to find.
        using var site = new SiteDirectory();
        File.AppendAllText(site.PathOf("train.csv"), "63.0,1.0,oops,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n63.0,1.0,1.0,oops,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n63.0,1.0,1.0,145.0,233.0\n");
        var output = new StringWriter();

        // Act
        var exitCode = await SiteCommands.Create().Parse(["site", "check", "--config", site.Config, "--timeout", "5"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }).WaitAsync(Timeout);

        // Assert
        var text = output.ToString();
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(text, Does.Match(@"FAIL\s+extract\s+3 bad rows"));
        Assert.That(text, Does.Match(@"\n\s+train\.csv:304:\d+: column 'cp': "));
        Assert.That(text, Does.Match(@"\n\s+train\.csv:306:\d+: column 'trestbps': "));
        Assert.That(text, Does.Match(@"\n\s+train\.csv:307:\d+: expected 14 fields, found 5"));
        Assert.That(text, Does.Not.Contain("oops"));
    }

    [Test]
    public async Task SiteCheck_SchemaAndExtractsWithoutConfig_ChecksOnlyTheExtracts()
    {
        // Arrange: a data steward's check before the site is enrolled: no certificate, no config.
        using var site = new SiteDirectory();
        File.AppendAllText(site.PathOf("train.csv"), "63.0,1.0,oops,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n");
        var output = new StringWriter();

        // Act
        var exitCode = await SiteCommands.Create().Parse(["site", "check", "--schema", site.PathOf("schema.json"), "--train", site.PathOf("train.csv"), "--test", site.PathOf("test.csv")])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }).WaitAsync(Timeout);

        // Assert
        var text = output.ToString();
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(text, Does.Match(@"^FAIL\s+extract\s+1 bad row"));
        Assert.That(text, Does.Contain("train.csv:304:"));
        Assert.That(text, Does.Not.Contain("certificate").And.Not.Contain("connectivity"));
        Assert.That(text.TrimEnd(), Does.EndWith("not ready: fix what the extract item names"));
    }

    [Test]
    public async Task SiteCheck_NeitherConfigNorSchema_OneLineAndExitsTwo()
    {
        // Arrange
        var error = new StringWriter();

        // Act
        var exitCode = await SiteCommands.Create().Parse(["site", "check", "--train", "x.csv"])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }).WaitAsync(Timeout);

        // Assert
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.ToString().Trim(), Is.EqualTo("hfed: give --config FILE (every check), or --schema FILE and --train FILE [--test FILE] (the extracts alone)"));
    }

    [Test]
    public async Task SiteCheck_MissingConfig_OneLineAndExitsTwo()
    {
        // Arrange
        var error = new StringWriter();

        // Act
        var exitCode = await SiteCommands.Create().Parse(["site", "check", "--config", "/nonexistent/site.json"])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }).WaitAsync(Timeout);

        // Assert
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.ToString().Trim(), Does.StartWith("hfed: ").And.Contain("site.json").And.Not.Contain("\n"));
    }
}
