using System.Net;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.IntegrationTests;

namespace HospitalFed.Dashboard.Tests;

/// <summary>
/// <c>hfed dashboard serve</c> and <c>hfed dashboard login</c> as real processes: a link the CLI
/// signs with a site's key file signs that site in to the dashboard the CLI serves from the
/// aggregator's config, and works once.
/// </summary>
[TestFixture]
public sealed class CliDashboardTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task ServeAndLogin_LinkFromTheCli_SignsTheSiteInOnce()
    {
        var directory = Directory.CreateTempSubdirectory("hfed-dash-cli-").FullName;
        try
        {
            using var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, "pairwise");
            var port = TestEnvironment.FreePort();
            var origin = $"https://localhost:{port}";
            using var serve = new HfedProcess("dashboard", "serve", "--config", files.PathOf("aggregator.json"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await serve.WaitForLineAsync($"^dashboard: {origin} ", Timeout);

            using var login = new HfedProcess("dashboard", "login", "--url", origin, "--cert", files.PathOf("va.cert.pem"), "--key", files.PathOf("va.key.pem"));
            Assert.That(await login.WaitAsync(Timeout), Is.Zero, login.Output);
            var link = login.Output.Trim();

            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true, CookieContainer = new CookieContainer() };
            using var browser = new HttpClient(handler);
            var first = await browser.GetAsync(new Uri(link)).WaitAsync(Timeout);
            var plans = await browser.GetStringAsync(new Uri(origin + "/plans")).WaitAsync(Timeout);
            using var other = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
            var replay = await other.GetAsync(new Uri(link)).WaitAsync(Timeout);

            Assert.That(link, Does.StartWith($"{origin}/login?token="));
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), "followed the redirect to the consortium page");
            Assert.That(plans, Does.Contain("Signed in as <strong>va</strong> (site, login link)").And.Contain("No plan in the round log yet"));
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await replay.Content.ReadAsStringAsync().WaitAsync(Timeout), Does.Contain("already used"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Login_LifetimeOverFiveMinutes_ExitsNonZeroNamingTheOption()
    {
        using var login = new HfedProcess("dashboard", "login", "--url", "https://localhost:7444", "--cert", "x.pem", "--key", "y.pem", "--lifetime", "600");

        Assert.That(await login.WaitAsync(Timeout), Is.Not.Zero);
        Assert.That(login.Output, Does.Contain("--lifetime must be from 1 to 300 seconds"));
    }
}
