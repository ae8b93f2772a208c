using System.Buffers.Text;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Dashboard.Tests.Auth;

[TestFixture]
public sealed class LoginVerifierTests
{
    private LoginFixture _fixture = null!;

    [SetUp]
    public void SetUp() => _fixture = new LoginFixture();

    [TearDown]
    public void TearDown() => _fixture.Dispose();

    [Test]
    public void Verify_ValidLink_SignsInThePartyWithItsRole()
    {
        var admin = _fixture.Simulation.Admins[0];

        var principal = _fixture.Verifier.Verify(_fixture.Token(admin));

        Assert.That(principal.Name, Is.EqualTo(admin.Name));
        Assert.That(principal.Role, Is.EqualTo(ConsortiumRole.Admin));
        Assert.That(principal.Certificate.RawData, Is.EqualTo(admin.Certificate.RawData));
    }

    [Test]
    public void Verify_SiteParty_SignsInAsSite()
    {
        var site = _fixture.Simulation.Sites[0];

        Assert.That(_fixture.Verifier.Verify(_fixture.Token(site)).Role, Is.EqualTo(ConsortiumRole.Site));
    }

    [Test]
    public void Verify_ExpiredLink_RefusedNamingTheExpiry()
    {
        var token = _fixture.Token(_fixture.Simulation.Admins[0], lifetime: TimeSpan.FromMinutes(1));
        _fixture.Simulation.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.That(() => _fixture.Verifier.Verify(token), Throws.TypeOf<IdentityException>().With.Message.Contains("expired"));
    }

    [Test]
    public void Verify_TamperedSignature_Refused()
    {
        var parts = _fixture.Token(_fixture.Simulation.Admins[0]).Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[5] ^= 0x01;
        var tampered = string.Join('.', parts[0], parts[1], Base64Url.EncodeToString(signature));

        Assert.That(() => _fixture.Verifier.Verify(tampered), Throws.TypeOf<IdentityException>().With.Message.Contains("signature"));
    }

    [Test]
    public void Verify_ClaimsNamingAnotherParty_Refused()
    {
        // admin-1's certificate and signature with claims rewritten to say admin-2: the name check refuses it
        var parts = _fixture.Token(_fixture.Simulation.Admins[0]).Split('.');
        var claims = System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])).Replace("admin-1", "admin-2", StringComparison.Ordinal);
        var tampered = string.Join('.', Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(claims)), parts[1], parts[2]);

        Assert.That(() => _fixture.Verifier.Verify(tampered), Throws.TypeOf<IdentityException>().With.Message.Contains("admin-2"));
    }

    [Test]
    public void Verify_PartyOfAnotherRoot_Refused()
    {
        using var foreign = ConsortiumSimulation.Create(sites: 0, admins: 1, threshold: 1);

        Assert.That(() => _fixture.Verifier.Verify(_fixture.Token(foreign.Admins[0])), Throws.TypeOf<IdentityException>().With.Message.Contains("does not chain to the consortium root"));
    }

    [Test]
    public void Verify_RevokedParty_Refused()
    {
        var admin = _fixture.Simulation.Admins[1];
        _fixture.Revoke(admin);
        _fixture.Simulation.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.That(() => _fixture.Verifier.Verify(_fixture.Token(admin)), Throws.TypeOf<IdentityException>().With.Message.Contains("revoked"));
    }

    [Test]
    public void Verify_SameLinkTwice_SecondRefusedAsReplay()
    {
        var token = _fixture.Token(_fixture.Simulation.Admins[0]);
        _fixture.Verifier.Verify(token);

        Assert.That(() => _fixture.Verifier.Verify(token), Throws.TypeOf<IdentityException>().With.Message.Contains("already used"));
    }

    [Test]
    public void Verify_LinkForAnotherDashboard_Refused()
    {
        var token = _fixture.Token(_fixture.Simulation.Admins[0], origin: "https://elsewhere.test:7444");

        Assert.That(() => _fixture.Verifier.Verify(token), Throws.TypeOf<IdentityException>().With.Message.Contains("elsewhere.test"));
    }

    [TestCase("")]
    [TestCase("a.b")]
    [TestCase("!!.!!.!!")]
    public void Verify_MalformedToken_RefusedClearly(string token) =>
        Assert.That(() => _fixture.Verifier.Verify(token), Throws.TypeOf<IdentityException>().With.Message.StartsWith("the login link"));

    [Test]
    public void Create_LifetimeOverFiveMinutes_Throws() =>
        Assert.That(() => DashboardLoginLink.Create(_fixture.Simulation.Admins[0], LoginFixture.Origin, TimeSpan.FromMinutes(6)), Throws.ArgumentException.With.Message.Contains("at most 5 minutes"));

    [TestCase("http://dashboard.test:7444")]
    [TestCase("https://dashboard.test:7444/plans")]
    [TestCase("not a url")]
    public void NormaliseOrigin_NotAnHttpsOrigin_Throws(string origin) =>
        Assert.That(() => DashboardLoginLink.NormaliseOrigin(origin), Throws.ArgumentException.With.Message.Contains("https://host[:port]"));
}
