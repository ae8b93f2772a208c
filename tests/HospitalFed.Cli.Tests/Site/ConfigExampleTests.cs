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
        Assert.That(config.Sites, Has.Count.EqualTo(4));
        Assert.That(config.Approvals, Has.Count.EqualTo(2));
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
