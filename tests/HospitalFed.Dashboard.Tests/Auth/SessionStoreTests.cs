using HospitalFed.Crypto.Identity;
using HospitalFed.Dashboard.Internal;
using HospitalFed.Ledger.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace HospitalFed.Dashboard.Tests.Auth;

[TestFixture]
public sealed class SessionStoreTests
{
    private ConsortiumSimulation _consortium = null!;

    [OneTimeSetUp]
    public void OneTimeSetUp() => _consortium = ConsortiumSimulation.Create(sites: 0, admins: 1, threshold: 1);

    [OneTimeTearDown]
    public void OneTimeTearDown() => _consortium.Dispose();

    [Test]
    public void Find_CookieOfAStartedSession_ReturnsItsParty()
    {
        var store = new SessionStore(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var principal = Principal();
        var (cookie, _) = store.Start(principal, TimeSpan.FromHours(1));

        Assert.That(store.Find(cookie), Is.SameAs(principal));
    }

    [Test]
    public void Find_CookieWithOneCharacterChanged_ReturnsNull()
    {
        var store = new SessionStore(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var (cookie, _) = store.Start(Principal(), TimeSpan.FromHours(1));
        var changed = (cookie[0] == 'A' ? 'B' : 'A') + cookie[1..];

        Assert.That(store.Find(changed), Is.Null);
    }

    [Test]
    public void Find_AfterTheSessionLifetime_ReturnsNull()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new SessionStore(time);
        var (cookie, _) = store.Start(Principal(), TimeSpan.FromHours(1));
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.That(store.Find(cookie), Is.Null);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not base64url!")]
    public void Find_NoOrMalformedCookie_ReturnsNull(string? cookie) =>
        Assert.That(new SessionStore(TimeProvider.System).Find(cookie), Is.Null);

    private DashboardPrincipal Principal()
    {
        var admin = _consortium.Admins[0];
        return new DashboardPrincipal(admin.Name, ConsortiumRole.Admin, admin.Certificate, "login link");
    }
}
