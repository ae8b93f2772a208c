using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HospitalFed.Dashboard.Tests;

[TestFixture]
public sealed class DashboardServiceCollectionExtensionsTests
{
    [Test]
    public void AddHospitalFedDashboard_ConfigurationSection_RegistersTheServerAsHostedServiceWithBoundOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["dashboard:port"] = "9555",
            ["dashboard:publicOrigin"] = "https://aggregator.example.org:9555",
        }).Build();
        var services = new ServiceCollection().AddLogging();

        services.AddHospitalFedDashboard(configuration.GetSection(DashboardOptions.Section));
        using var provider = services.BuildServiceProvider();

        var hosted = provider.GetServices<IHostedService>().OfType<DashboardServer>().Single();
        Assert.That(hosted, Is.SameAs(provider.GetRequiredService<DashboardServer>()));
        Assert.That(hosted.Origin, Is.EqualTo("https://aggregator.example.org:9555"));
    }
}
