using System.Text.Json.Nodes;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Site.Configuration;
using HospitalFed.Site.Preflight;

namespace HospitalFed.Site.Tests;

[TestFixture]
public sealed class SitePreflightTests
{
    [Test]
    public async Task Run_CompleteInstallationWithoutAggregator_PassesEverythingButConnectivity()
    {
        // Arrange
        using var site = new SiteDirectory();
        var config = SiteConfig.Load(site.Config);

        // Act
        var items = await SitePreflight.RunAsync(config, TimeProvider.System, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var verdicts = items.ToDictionary(i => i.Name, i => i.Verdict);
        Assert.That(verdicts["CA"], Is.EqualTo(Verdict.Pass), items.First(i => i.Name == "CA").Detail);
        Assert.That(verdicts["certificate"], Is.EqualTo(Verdict.Pass), items.First(i => i.Name == "certificate").Detail);
        Assert.That(verdicts["key"], Is.EqualTo(Verdict.Pass), items.First(i => i.Name == "key").Detail);
        Assert.That(verdicts["clock"], Is.EqualTo(Verdict.Pass));
        Assert.That(verdicts["consortium"], Is.EqualTo(Verdict.Pass), items.First(i => i.Name == "consortium").Detail);
        Assert.That(verdicts["extract"], Is.EqualTo(Verdict.Pass), items.First(i => i.Name == "extract").Detail);
        Assert.That(verdicts["policy"], Is.EqualTo(Verdict.Warn));
        Assert.That(verdicts["plan"], Is.EqualTo(Verdict.Warn));
        Assert.That(verdicts["connectivity"], Is.EqualTo(Verdict.Fail));
    }

    [Test]
    public async Task Run_PlanMatchingTheSchema_PassesThePlanItem()
    {
        // Arrange
        using var site = new SiteDirectory();
        site.Write("plan.json", ConsortiumSimulation.Plan(rounds: 5).Document.ToJsonString());
        var config = SiteConfig.Load(site.Config) with { Plan = site.PathOf("plan.json") };

        // Act
        var items = await SitePreflight.RunAsync(config, TimeProvider.System, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var plan = items.Single(i => i.Name == "plan");
        Assert.That(plan.Verdict, Is.EqualTo(Verdict.Pass), plan.Detail);
    }

    [Test]
    public async Task Run_PlanNamingOtherFeatures_FailsThePlanItemNamingTheColumns()
    {
        // Arrange: six heart-disease columns, as in issue 12, where the schema has ten.
        using var site = new SiteDirectory();
        var document = (JsonObject)ConsortiumSimulation.Plan(rounds: 5).Document.DeepClone();
        document["features"] = new JsonArray("age", "sex", "cp", "trestbps", "chol", "thalach");
        site.Write("plan.json", document.ToJsonString());
        var config = SiteConfig.Load(site.Config) with { Plan = site.PathOf("plan.json") };

        // Act
        var items = await SitePreflight.RunAsync(config, TimeProvider.System, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var plan = items.Single(i => i.Name == "plan");
        Assert.That(plan.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(plan.Detail, Does.Contain("would decline").And.Contain("in the schema but not in the plan: fbs, restecg, exang, oldpeak"));
    }

    [Test]
    public async Task Run_CorruptExtract_FailsTheExtractItemNamingTheLine()
    {
        // Arrange
        using var site = new SiteDirectory();
        File.AppendAllText(site.PathOf("train.csv"), "63.0,1.0,not-a-number,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n");
        var config = SiteConfig.Load(site.Config);

        // Act
        var items = await SitePreflight.RunAsync(config, TimeProvider.System, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var extract = items.Single(i => i.Name == "extract");
        Assert.That(extract.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(extract.Lines, Has.One.StartWith("train.csv:304:"));
        Assert.That(extract.Detail + string.Join("\n", extract.Lines), Does.Not.Contain("not-a-number"), "patient-level values never appear in messages");
    }

    [Test]
    public async Task Run_BadRowsInBothExtracts_ListsEveryBadRowInOneRunWithoutValues()
    {
        // Arrange: three bad rows in the training extract (lines 304-306), one in the test extract (line 295).
        using var site = new SiteDirectory();
        File.AppendAllText(site.PathOf("train.csv"), BadRow("cp-typo") + BadRow("cp-typo") + "63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,999\n");
        File.AppendAllText(site.PathOf("test.csv"), "63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0\n");
        var config = SiteConfig.Load(site.Config);

        // Act
        var items = await SitePreflight.RunAsync(config, TimeProvider.System, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var extract = items.Single(i => i.Name == "extract");
        Assert.That(extract.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(extract.Detail, Does.Contain("4 bad rows").And.Contain("badRows"));
        Assert.That(extract.Lines, Has.Count.EqualTo(4));
        Assert.That(extract.Lines[0], Does.StartWith("train.csv:304:").And.Contain("column 'cp'"));
        Assert.That(extract.Lines[1], Does.StartWith("train.csv:305:").And.Contain("column 'cp'"));
        Assert.That(extract.Lines[2], Does.StartWith("train.csv:306:").And.Contain("column 'num'"));
        Assert.That(extract.Lines[3], Does.StartWith("test.csv:295:").And.Contain("expected 14 fields, found 13"));
        Assert.That(string.Join("\n", extract.Lines) + extract.Detail, Does.Not.Contain("cp-typo").And.Not.Contain("999"), "patient-level values never appear");
    }

    [Test]
    public async Task Run_MoreBadRowsThanTheCap_ListsTheCapAndCountsTheRest()
    {
        // Arrange
        using var site = new SiteDirectory();
        File.AppendAllText(site.PathOf("train.csv"), string.Concat(Enumerable.Repeat(BadRow("x"), SitePreflight.BadRowsListed + 5)));
        var config = SiteConfig.Load(site.Config);

        // Act
        var items = await SitePreflight.RunAsync(config, TimeProvider.System, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var extract = items.Single(i => i.Name == "extract");
        Assert.That(extract.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(extract.Lines, Has.Count.EqualTo(SitePreflight.BadRowsListed + 1));
        Assert.That(extract.Lines[^2], Does.StartWith($"train.csv:{303 + SitePreflight.BadRowsListed}:"));
        Assert.That(extract.Lines[^1], Is.EqualTo("train.csv: 5 more bad rows not listed"));
    }

    [Test]
    public async Task Run_BadRowsUnderSkipPolicy_WarnsWithTheCountAndStillListsThem()
    {
        // Arrange
        using var site = new SiteDirectory();
        var schema = File.ReadAllText(site.PathOf("schema.json")).Replace("\"header\": false,", "\"header\": false, \"badRows\": \"skip\",", StringComparison.Ordinal);
        site.Write("schema.json", schema);
        File.AppendAllText(site.PathOf("train.csv"), BadRow("x") + BadRow("y"));
        var config = SiteConfig.Load(site.Config);

        // Act
        var items = await SitePreflight.RunAsync(config, TimeProvider.System, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var extract = items.Single(i => i.Name == "extract");
        Assert.That(extract.Verdict, Is.EqualTo(Verdict.Warn), extract.Detail);
        Assert.That(extract.Detail, Does.Contain("2 bad rows skipped (schema badRows: skip)"));
        Assert.That(extract.Lines, Has.Count.EqualTo(2));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix file modes")]
    public async Task Run_KeyReadableByOthers_FailsTheKeyItem()
    {
        // Arrange
        using var site = new SiteDirectory();
#pragma warning disable CA1416 // excluded on Windows by [Platform]
        File.SetUnixFileMode(site.Key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
#pragma warning restore CA1416
        var config = SiteConfig.Load(site.Config);

        // Act
        var items = await SitePreflight.RunAsync(config, TimeProvider.System, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        var key = items.Single(i => i.Name == "key");
        Assert.That(key.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(key.Detail, Does.Contain("chmod 600"));
    }

    [Test]
    public void Load_MissingRequiredField_NamesTheFile()
    {
        // Arrange
        using var site = new SiteDirectory();
        site.Write("site.json", "{\"aggregator\": \"https://localhost:9\"}");

        // Act
        var error = Assert.Throws<InvalidDataException>(() => SiteConfig.Load(site.Config));

        // Assert
        Assert.That(error!.Message, Does.Contain("site.json").And.Contain("certificate"));
    }

    /// <summary>A Cleveland-shaped row whose chest-pain type (cp) is not one of its levels.</summary>
    private static string BadRow(string cp) => $"63.0,1.0,{cp},145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n";
}
