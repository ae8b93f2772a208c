using HospitalFed.Aggregator.Configuration;
using HospitalFed.Site.Configuration;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>The documented examples in config/ load with the real loaders.</summary>
public sealed class ConfigExampleTests
{
    [Test]
    public void SiteExample_Loads_WithAbsolutePaths()
    {
        // Act
        var config = SiteConfig.Load(Example("site.json"));

        // Assert
        Assert.That(config.Aggregator.Scheme, Is.EqualTo("https"));
        Assert.That(Path.IsPathFullyQualified(config.Key), Is.True);
    }

    [Test]
    public void AggregatorExample_Loads_WithItsSites()
    {
        // Act
        var config = AggregatorConfig.Load(Example("aggregator.json"));

        // Assert
        Assert.That(config.Sites, Is.EqualTo(new[] { "st-marys", "city-general", "northside" }));
        Assert.That(config.Approvals, Has.Count.EqualTo(2));
        Assert.That(config.Dashboard, Is.Null, "the dashboard is off unless the section is written");
        Assert.That(config.Telemetry, Is.Not.Null.And.Property("Enabled").False, "telemetry is shown, switched off");
    }

    [Test]
    public void SiteExample_ShowsTelemetry_SwitchedOff()
    {
        // Act
        var config = SiteConfig.Load(Example("site.json"));

        // Assert
        Assert.That(config.Telemetry, Is.Not.Null);
        Assert.That(config.Telemetry!.Enabled, Is.False);
        Assert.That(config.Telemetry.OtlpEndpoint, Is.EqualTo("http://127.0.0.1:4317"));
    }

    [Test]
    public void SiteExample_NamesFilesByTheNamingScheme_AndItsPolicyExampleParses()
    {
        // Arrange
        var config = SiteConfig.Load(Example("site.json"));
        var directory = Path.GetDirectoryName(Example("site.json"))!;

        // Act
        var policy = HospitalFed.Ledger.Plans.SitePolicy.Parse(File.ReadAllBytes(config.Policy!));

        // Assert: certs/README.md's names, relative to the config's directory.
        Assert.That(config.Policy, Is.EqualTo(Path.Combine(directory, "policy.json")));
        Assert.That(Path.GetFileName(config.Certificate), Is.EqualTo("st-marys.cert.pem"));
        Assert.That(Path.GetFileName(config.Key), Is.EqualTo("st-marys.key.pem"));
        Assert.That(Path.GetFileName(config.Root), Is.EqualTo("root.cert.pem"));
        Assert.That(Path.GetFileName(config.Crl), Is.EqualTo("consortium.crl.pem"));
        Assert.That(Path.GetFileName(config.Train), Is.EqualTo("st-marys.train.csv"));
        Assert.That(policy.MinSites, Is.EqualTo(3));
        Assert.That(policy.RequiredProtection, Is.EqualTo(HospitalFed.Ledger.Plans.Protection.Pairwise));
    }

    private static string Example(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"config/{name} not found above the test directory.");
    }
}
