using System.Text.RegularExpressions;
using HospitalFed.IntegrationTests;
using HospitalFed.Transport;
using Microsoft.Playwright;

namespace HospitalFed.Dashboard.Tests.Browser;

/// <summary><c>hfed demo --dashboard</c> in Debian's chromium: the printed login link signs in, the pages show the finished plan, Ctrl+C ends everything.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DemoDashboardBrowserTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DemoTimeout = TimeSpan.FromMinutes(3);

    [Test]
    public async Task DemoDashboard_PlanFinished_LinkSignsInPagesShowThePlanAndCtrlCCleansUp()
    {
        // Arrange
        using var demo = new HfedProcess("demo", "--dashboard", "--rounds", "3");
        await demo.WaitForLineAsync("Ctrl\\+C stops the aggregator", DemoTimeout);
        var links = Regex.Matches(demo.Output, @"https://localhost:\d+/login\?token=\S+").Select(m => m.Value).ToList();
        using var playwright = await Playwright.CreateAsync().WaitAsync(Timeout);
        var browser = await Chromium.LaunchAsync(playwright, Timeout);
        try
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true }).WaitAsync(Timeout); // the demo's throwaway CA
            var page = await context.NewPageAsync().WaitAsync(Timeout);

            // Act: the fresh link printed after the plan.
            var login = await page.GotoAsync(links[^1]).WaitAsync(Timeout);
            var origin = new Uri(links[^1]).GetLeftPart(UriPartial.Authority);
            await page.GotoAsync(origin + "/live").WaitAsync(Timeout);
            var live = await page.Locator("main").TextContentAsync().WaitAsync(Timeout);
            await page.GotoAsync(origin + "/sites").WaitAsync(Timeout);
            var sites = await page.Locator("main").TextContentAsync().WaitAsync(Timeout);
            await Chromium.ScreenshotAsync(page, "demo-sites", Timeout);

            // Assert
            Assert.That(links, Has.Count.EqualTo(2), "one link once the dashboard listens, a fresh one after the plan");
            Assert.That(login!.Status, Is.EqualTo(200));
            Assert.That(await page.Locator(".who").TextContentAsync().WaitAsync(Timeout), Does.Contain("admin-1"));
            Assert.That(live, Does.Contain("round 3").And.Contain("completed").And.Contain("4 of 4"));
            Assert.That(sites, Does.Contain("cleveland").And.Contain(NodeHeaders.SoftwareVersion).And.Contain("accepted the plan"));
        }
        finally
        {
            await browser.CloseAsync().WaitAsync(Timeout);
        }

        // Ctrl+C: the demo stops its aggregator and removes its files.
        demo.Signal("INT");
        Assert.That(await demo.WaitAsync(Timeout), Is.Zero, demo.Output);
        Assert.That(demo.Output, Does.Contain("cleaned up: no process or file left behind"));
        var pids = Regex.Match(demo.Output, @"pids ([\d, ]+)\)").Groups[1].Value.Split(", ").Select(int.Parse).ToList();
        Assert.That(pids.Where(TestEnvironment.IsRunning), Is.Empty, "the demo left a process behind");
    }
}
