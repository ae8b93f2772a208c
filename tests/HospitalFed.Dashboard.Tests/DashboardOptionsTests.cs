namespace HospitalFed.Dashboard.Tests;

[TestFixture]
public sealed class DashboardOptionsTests
{
    [Test]
    public void Validate_MissingFilesAndBadValues_NamesEverySettingAtFault()
    {
        var options = new DashboardOptions { BindAddress = "everywhere", Port = 0, Certificate = "/nonexistent/cert.pem", PollInterval = TimeSpan.FromMilliseconds(10) };

        var error = Assert.Throws<ArgumentException>(options.Validate)!.Message;

        Assert.That(error, Does.Contain("bindAddress 'everywhere'").And.Contain("port 0").And.Contain("certificate file '/nonexistent/cert.pem' does not exist")
            .And.Contain("key is required").And.Contain("crl is required").And.Contain("log is required").And.Contain("pollInterval"));
    }

    [Test]
    public void Origin_Default_LocalhostOnThePort() =>
        Assert.That(new DashboardOptions { Port = 9443 }.Origin, Is.EqualTo("https://localhost:9443"));

    [Test]
    public void Origin_PublicOriginWithTrailingSlashAndCapitals_Normalised() =>
        Assert.That(new DashboardOptions { PublicOrigin = "https://Aggregator.Example.org:7444/" }.Origin, Is.EqualTo("https://aggregator.example.org:7444"));
}
