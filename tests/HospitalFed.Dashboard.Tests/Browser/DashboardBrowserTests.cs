using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Transport;
using Microsoft.Playwright;

namespace HospitalFed.Dashboard.Tests.Browser;

/// <summary>
/// The dashboard hosted by a real <c>hfed aggregator run</c>, in Debian's chromium, with four
/// real site processes on loopback: refusal without credentials, the live round view updating by
/// server-sent events while rounds run with the sites' live connection and reported version,
/// every page once the plan completed, sign-in by client certificate, and refusal of a revoked party. Ordered: the tests share one federation run.
/// Each page's screenshot is saved under the test output's screenshots/.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DashboardBrowserTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FederationTimeout = TimeSpan.FromMinutes(3);
    private BrowserFederation _federation = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private SigningIdentity _auditor = null!;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        _playwright = await Playwright.CreateAsync().WaitAsync(Timeout);
        _browser = await Chromium.LaunchAsync(_playwright, Timeout);
        _federation = await BrowserFederation.StartDashboardAsync(Timeout);
        _auditor = _federation.Enroll("auditor", ConsortiumRole.Auditor);
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        _auditor?.Dispose();
        if (_federation is not null)
        {
            await _federation.DisposeAsync().AsTask().WaitAsync(Timeout);
        }

        if (_browser is not null)
        {
            await _browser.CloseAsync().WaitAsync(Timeout);
        }

        _playwright?.Dispose();
    }

    [Test]
    [Order(1)]
    public async Task Page_NoCredentials_Refused401WithASignInPage()
    {
        var page = await NewPageAsync();

        var response = await page.GotoAsync(Url("/plans")).WaitAsync(Timeout);

        Assert.That(response!.Status, Is.EqualTo(401));
        Assert.That(await page.Locator("h1").TextContentAsync().WaitAsync(Timeout), Is.EqualTo("Sign in required"));
        Assert.That(await page.ContentAsync().WaitAsync(Timeout), Does.Contain("hfed dashboard login").And.Not.Contain("Plan "));
        await Chromium.ScreenshotAsync(page, "refused-no-credentials", Timeout);
    }

    [Test]
    [Order(2)]
    public async Task LiveRound_FederationRunning_UpdatesByServerSentEventsWithoutReload()
    {
        var page = await SignedInPageAsync(_auditor);
        await page.GotoAsync(Url("/live")).WaitAsync(Timeout);
        // Every state the panel shows, as the browser renders it (a MutationObserver misses none, where polling the DOM could).
        await page.EvaluateAsync("""
            () => {
              window.hfedNoReload = true;
              window.hfedSeen = [];
              window.hfedSites = [];
              const live = document.getElementById('live');
              new MutationObserver(() => {
                const round = live.querySelector('.round-number'), phase = live.querySelector('.phase');
                const state = round && phase ? round.textContent + ' ' + phase.textContent : null;
                if (state && window.hfedSeen[window.hfedSeen.length - 1] !== state) window.hfedSeen.push(state);
                // The sites table's rows as pushed: site, upload, connection, version.
                for (const row of live.querySelectorAll('table tr')) {
                  const cells = [...row.querySelectorAll('td')].map(c => c.textContent.trim());
                  if (cells.length === 4) window.hfedSites.push(cells.join(' | '));
                }
              }).observe(live, { childList: true, subtree: true });
            }
            """).WaitAsync(Timeout);

        _federation.StartSites();

        // The plan's last round is 3; by then the panel must have moved through several states in place.
        try
        {
            await page.WaitForFunctionAsync("() => window.hfedSeen.some(s => s.startsWith('3 '))", null, new() { Timeout = (float)FederationTimeout.TotalMilliseconds }).WaitAsync(FederationTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            var states = await page.EvaluateAsync<string[]>("window.hfedSeen").WaitAsync(Timeout);
            Assert.Fail($"the live panel never showed round 3; it showed: {string.Join(" | ", states)}; aggregator output:\n{_federation.Aggregator!.Output}");
        }

        var seen = await page.EvaluateAsync<string[]>("window.hfedSeen").WaitAsync(Timeout);
        await TestContext.Out.WriteLineAsync("live panel states: " + string.Join(" | ", seen)).WaitAsync(Timeout);
        var rounds = seen.Select(s => int.Parse(s.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(seen, Has.Length.GreaterThanOrEqualTo(3), string.Join(" | ", seen));
        Assert.That(rounds, Is.Ordered, "rounds only move forward");
        Assert.That(rounds.Distinct().Count(), Is.GreaterThanOrEqualTo(2), string.Join(" | ", seen));
        Assert.That(await page.EvaluateAsync<bool>("window.hfedNoReload === true").WaitAsync(Timeout), Is.True, "updated in place, not reloaded");
        // Live status from the aggregator itself: each real site process connected, with the version it reported.
        var rows = await page.EvaluateAsync<string[]>("window.hfedSites").WaitAsync(Timeout);
        Assert.That(_federation.Files.Centres.Select(c => c.Name), Has.All.Matches<string>(site =>
            rows.Any(r => r.StartsWith(site + " |", StringComparison.Ordinal) && r.Contains("| connected |", StringComparison.Ordinal) && r.EndsWith("| " + NodeHeaders.SoftwareVersion, StringComparison.Ordinal))),
            string.Join("\n", rows.Distinct().Take(20)));
        await Chromium.ScreenshotAsync(page, "live", Timeout);
    }

    [Test]
    [Order(3)]
    public async Task Pages_PlanCompleted_ShowRoundsApprovalsCurvesSitesAndVerifiedAudit()
    {
        Assert.That(_federation.Sites, Has.Count.EqualTo(4), "the live test starts the sites");
        foreach (var site in _federation.Sites)
        {
            Assert.That(await site.WaitAsync(FederationTimeout), Is.Zero, site.Output);
        }

        // The plan ended; the aggregator keeps serving the dashboard (keepServingAfterPlan).
        await _federation.Aggregator.WaitForLineAsync("plan completed; final model", FederationTimeout);
        Assert.That(_federation.Aggregator.HasExited, Is.False, "the dashboard stays up after the plan");
        var metricRounds = MetricRounds();
        var page = await SignedInPageAsync(_auditor);

        await WaitForTextAsync(page, "/plans", "completed");
        var plans = await page.Locator("main").TextContentAsync().WaitAsync(Timeout);
        Assert.That(plans, Does.Contain("3 of 3 completed").And.Contain("2 of 2 required").And.Contain("admin-1").And.Contain("admin-2").And.Contain("hfed plan approve"));
        await Chromium.ScreenshotAsync(page, "plans", Timeout);

        await page.GotoAsync(Url("/curves")).WaitAsync(Timeout);
        var charts = page.Locator("figure.chart");
        Assert.That(await charts.CountAsync().WaitAsync(Timeout), Is.GreaterThanOrEqualTo(2), "loss and AUC at least");
        Assert.That(await charts.First.Locator("circle").CountAsync().WaitAsync(Timeout), Is.EqualTo(metricRounds));
        await Chromium.ScreenshotAsync(page, "curves", Timeout);

        await page.GotoAsync(Url("/sites")).WaitAsync(Timeout);
        var sites = await page.Locator("main").TextContentAsync().WaitAsync(Timeout);
        Assert.That(_federation.Files.Centres.Select(c => c.Name), Has.All.Matches<string>(name => sites!.Contains(name, StringComparison.Ordinal)));
        Assert.That(sites, Does.Contain("accepted the plan"));
        Assert.That(sites, Does.Contain(NodeHeaders.SoftwareVersion).And.Contain("disconnected").And.Contain("reported live by the aggregator"), "the sites ended with the plan; their version stays known");
        await Chromium.ScreenshotAsync(page, "sites", Timeout);

        await page.GotoAsync(Url("/")).WaitAsync(Timeout);
        Assert.That(await page.Locator("main").TextContentAsync().WaitAsync(Timeout), Does.Contain("2 of 2 admins").And.Contain("aggregator"));
        await Chromium.ScreenshotAsync(page, "consortium", Timeout);

        await page.GotoAsync(Url("/audit")).WaitAsync(Timeout);
        await page.GetByText("Verify the whole log now").ClickAsync().WaitAsync(Timeout);
        Assert.That(await page.Locator(".verdict").TextContentAsync().WaitAsync(Timeout), Does.Contain("verified").And.Contain("check against the consortium root"));
        await Chromium.ScreenshotAsync(page, "audit", Timeout);
    }

    [Test]
    [Order(4)]
    public async Task ClientCertificate_ConsortiumParty_SignedInWithoutALink()
    {
        var party = _federation.Enroll("auditor-tls", ConsortiumRole.Auditor);
        using (party)
        {
            var page = await NewPageAsync(new ClientCertificate { Origin = _federation.Origin, CertPath = _federation.Files.PathOf("auditor-tls.cert.pem"), KeyPath = _federation.Files.PathOf("auditor-tls.key.pem") });

            var response = await page.GotoAsync(Url("/plans")).WaitAsync(Timeout);

            Assert.That(response!.Status, Is.EqualTo(200));
            Assert.That(await page.Locator(".who").TextContentAsync().WaitAsync(Timeout), Does.Contain("auditor-tls").And.Contain("client certificate"));
        }
    }

    [Test]
    [Order(5)]
    public async Task Session_PartyRevokedAfterSigningIn_RefusedOnTheNextRequestAndItsNewLinkToo()
    {
        using var party = _federation.Enroll("auditor-revoked", ConsortiumRole.Auditor);
        var page = await SignedInPageAsync(party);

        _federation.Revoke(party);
        var response = await page.GotoAsync(Url("/plans")).WaitAsync(Timeout);

        Assert.That(response!.Status, Is.EqualTo(403));
        Assert.That(await page.Locator("[role=alert]").TextContentAsync().WaitAsync(Timeout), Does.Contain("revoked"));
        await Chromium.ScreenshotAsync(page, "refused-revoked", Timeout);
        var fresh = await NewPageAsync();
        var login = await fresh.GotoAsync(DashboardLoginLink.Create(party, _federation.Origin, DashboardLoginLink.DefaultLifetime)).WaitAsync(Timeout);
        Assert.That(login!.Status, Is.EqualTo(403));
        Assert.That(await fresh.ContentAsync().WaitAsync(Timeout), Does.Contain("revoked"));
    }

    private string Url(string path) => _federation.Origin + path;

    private async Task<IPage> NewPageAsync(ClientCertificate? certificate = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true, // the browser does not hold the consortium root; the dashboard's own checks are under test
            ViewportSize = new ViewportSize { Width = 1100, Height = 800 },
            ClientCertificates = certificate is null ? null : [certificate],
        }).WaitAsync(Timeout);
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        return await context.NewPageAsync().WaitAsync(Timeout);
    }

    /// <summary>A page signed in with a fresh login link of <paramref name="party"/> (the redirect lands on the consortium page).</summary>
    private async Task<IPage> SignedInPageAsync(SigningIdentity party)
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync(DashboardLoginLink.Create(party, _federation.Origin, DashboardLoginLink.DefaultLifetime)).WaitAsync(Timeout);
        Assert.That(response!.Status, Is.EqualTo(200), await page.ContentAsync());
        Assert.That(page.Url, Is.EqualTo(Url("/")), "the token is dropped from the address bar");
        Assert.That(await page.Locator(".who").TextContentAsync().WaitAsync(Timeout), Does.Contain(party.Name));
        return page;
    }

    /// <summary>Reloads <paramref name="path"/> until it shows <paramref name="text"/> (the dashboard tails the log every 250 ms); bounded.</summary>
    private async Task WaitForTextAsync(IPage page, string path, string text)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            await page.GotoAsync(Url(path)).WaitAsync(Timeout);
            if ((await page.Locator("main").TextContentAsync().WaitAsync(Timeout))!.Contains(text, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return;
            }

            await Task.Delay(250).WaitAsync(Timeout);
        }
    }

    /// <summary>The rounds with a metrics entry, read from the aggregator's log directly (not through the dashboard).</summary>
    private int MetricRounds()
    {
        var path = _federation.Files.PathOf("round-log.db");
        using var store = SqliteLogStore.Open(path, SqliteLogStore.Plans(path).Single());
        return store.ReadAll().Select(l => LogLine.Decode(l, out _)).Count(e => e.Kind == LogEntryKind.Metrics);
    }
}
