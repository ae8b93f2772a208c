using Microsoft.Playwright;

namespace HospitalFed.Dashboard.Tests.Browser;

/// <summary>Debian's chromium driven by Playwright (browser downloads are impossible here); its absence fails the tests, it never skips them.</summary>
internal static class Chromium
{
    /// <summary>Where Debian installs it; HFED_CHROMIUM overrides.</summary>
    public static string Path => Environment.GetEnvironmentVariable("HFED_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, TimeSpan timeout)
    {
        if (!File.Exists(Path))
        {
            Assert.Fail($"chromium not found at {Path}: the dashboard's browser tests need Debian's chromium; install it with `apt-get install -y chromium` (or set HFED_CHROMIUM to its path).");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox"], // CI runs as root, where chromium's sandbox cannot start
            Timeout = (float)timeout.TotalMilliseconds,
        }).WaitAsync(timeout);
    }

    /// <summary>Saves a full-page screenshot under the test output's screenshots/ and attaches it to the test result.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, TimeSpan timeout)
    {
        var path = System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "screenshots", name + ".png");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = (float)timeout.TotalMilliseconds }).WaitAsync(timeout);
        TestContext.AddTestAttachment(path, name);
    }
}
