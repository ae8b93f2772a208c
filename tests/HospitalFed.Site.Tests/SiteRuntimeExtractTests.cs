using HospitalFed.Learning.Data;
using HospitalFed.Site.Configuration;
using HospitalFed.Site.Hosting;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Site.Tests;

/// <summary>The site service loads its extracts under the schema's <c>badRows</c> policy.</summary>
[TestFixture]
public sealed class SiteRuntimeExtractTests
{
    [Test]
    public void Create_BadRowsUnderSkipPolicy_StartsAndLogsTheCountWithoutValues()
    {
        // Arrange: two bad rows in the 303-row Cleveland extract, schema "badRows": "skip".
        using var site = new SiteDirectory();
        site.Write("schema.json", File.ReadAllText(site.PathOf("schema.json")).Replace("\"header\": false,", "\"header\": false, \"badRows\": \"skip\",", StringComparison.Ordinal));
        File.AppendAllText(site.PathOf("train.csv"), "63.0,1.0,secret-a,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n63.0,1.0,secret-b,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n");
        var log = new LogLines();
        using var logs = LoggerFactory.Create(b => b.AddProvider(log));

        // Act
        using var runtime = SiteRuntime.Create(SiteConfig.Load(site.Config), logs);

        // Assert
        var lines = log.Lines.Where(l => l.EventId == 2020).Select(l => l.Text).ToList();
        Assert.That(lines, Has.Some.EqualTo("Extract train.csv: 2 bad rows skipped (schema badRows: skip), 303 rows kept; run hfed site check to list them"));
        Assert.That(log.Lines.Select(l => l.Text), Has.None.Contain("secret-"));
    }

    [Test]
    public void Create_BadRowUnderDefaultPolicy_RefusesNamingTheLine()
    {
        // Arrange
        using var site = new SiteDirectory();
        File.AppendAllText(site.PathOf("train.csv"), "63.0,1.0,secret-a,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n");
        using var logs = LoggerFactory.Create(_ => { });

        // Act
        var error = Assert.Throws<ExtractFormatException>(() => SiteRuntime.Create(SiteConfig.Load(site.Config), logs).Dispose());

        // Assert
        Assert.That(error!.Error.ToRedactedString(), Does.StartWith("train.csv:304:"));
    }
}
