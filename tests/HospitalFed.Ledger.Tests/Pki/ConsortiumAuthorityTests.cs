using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Pki;
using Microsoft.Extensions.Time.Testing;

namespace HospitalFed.Ledger.Tests.Pki;

public sealed class ConsortiumAuthorityTests
{
    private const string Passphrase = "correct horse battery staple";

    [Test]
    public void Load_ExportedWithPassphrase_RoundTripsAndRefusesWrongPassphrase()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        var keyPem = ca.ExportEncryptedKeyPem(Passphrase);
        var certPem = ca.Certificate.ExportCertificatePem();

        using var loaded = ConsortiumAuthority.Load(certPem, keyPem, Passphrase);

        Assert.That(keyPem, Does.StartWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        Assert.That(loaded.Certificate.Thumbprint, Is.EqualTo(ca.Certificate.Thumbprint));
        var ex = Assert.Throws<PkiException>(() => ConsortiumAuthority.Load(certPem, keyPem, "wrong passphrase!!"));
        Assert.That(ex!.Message, Does.Contain("wrong passphrase"));
    }

    [Test]
    public void ExportEncryptedKeyPem_ShortPassphrase_IsRefused()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));

        Assert.Throws<PkiException>(() => ca.ExportEncryptedKeyPem("short"));
    }

    [TestCase(ConsortiumRole.Site)]
    [TestCase(ConsortiumRole.Admin)]
    [TestCase(ConsortiumRole.Aggregator)]
    [TestCase(ConsortiumRole.Auditor)]
    public void Issue_FromSiteRequest_CarriesRoleAndChainsToRoot(ConsortiumRole role)
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        var (keyPem, csrPem) = SiteEnrollment.CreateRequest("party-a");

        using var certificate = ca.Issue(csrPem, role, TimeSpan.FromDays(30));
        using var identity = new SigningIdentity(X509CertificateLoader.LoadCertificate(certificate.RawData), KeyProtection.ImportPem(keyPem, "key"));
        var party = new ConsortiumTrust(ca.Certificate, RevokedSerials.None).Validate(certificate, role, DateTimeOffset.UtcNow, "party-a");

        Assert.That(party.Role, Is.EqualTo(role));
        Assert.That(certificate.HasPrivateKey, Is.False);
        Assert.That(identity.Name, Is.EqualTo("party-a"));
    }

    [Test]
    public void Issue_TamperedRequest_IsRefused()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        var (_, csrPem) = SiteEnrollment.CreateRequest("party-a");
        var der = PemEncoding.Find(csrPem);
        var bytes = Convert.FromBase64String(csrPem[der.Base64Data]);
        bytes[bytes.Length / 3] ^= 0x01;
        var tampered = PemEncoding.WriteString("CERTIFICATE REQUEST", bytes);

        Assert.Throws<PkiException>(() => ca.Issue(tampered, ConsortiumRole.Site, TimeSpan.FromDays(30)));
    }

    [Test]
    public void Revoke_ThenParse_ListsSerialAndRevocationSourceHonoursTime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365), time);
        using var victim = ca.Issue(SiteEnrollment.CreateRequest("site-x").CsrPem, ConsortiumRole.Site, TimeSpan.FromDays(30));
        using var bystander = ca.Issue(SiteEnrollment.CreateRequest("site-y").CsrPem, ConsortiumRole.Site, TimeSpan.FromDays(30));
        var revokedAt = time.GetUtcNow();

        var crlPem = ca.Revoke(ca.Publish(null), victim);
        var source = CrlRevocationSource.FromPem(crlPem, ca.Certificate);

        Assert.That(source.Crl.Number, Is.EqualTo(new System.Numerics.BigInteger(2)));
        Assert.That(source.Crl.Entries.Select(e => e.SerialNumber), Is.EqualTo(new[] { victim.SerialNumber }));
        Assert.That(source.IsRevoked(victim, revokedAt.AddSeconds(1)), Is.True);
        Assert.That(source.IsRevoked(victim, revokedAt.AddMinutes(-1)), Is.False);
        Assert.That(source.IsRevoked(bystander, revokedAt.AddSeconds(1)), Is.False);
    }

    [Test]
    public void EnsureCurrent_AfterNextUpdate_IsRefused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365), time);
        var crl = CertificateRevocationList.ParseAndVerify(ca.Publish(null, nextUpdate: TimeSpan.FromDays(7)), ca.Certificate);

        Assert.DoesNotThrow(() => crl.EnsureCurrent(time.GetUtcNow().AddDays(6)));
        var ex = Assert.Throws<PkiException>(() => crl.EnsureCurrent(time.GetUtcNow().AddDays(8)));
        Assert.That(ex!.Message, Does.Contain("lapsed"));
    }

    [Test]
    public void ParseAndVerify_AnyFlippedByte_IsRefused()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        using var victim = ca.Issue(SiteEnrollment.CreateRequest("site-x").CsrPem, ConsortiumRole.Site, TimeSpan.FromDays(30));
        var crlPem = ca.Revoke(null, victim);
        var der = Convert.FromBase64String(crlPem[PemEncoding.Find(crlPem).Base64Data]);

        for (var i = 0; i < der.Length; i++)
        {
            var tampered = der.ToArray();
            tampered[i] ^= 0x01;
            Assert.Throws<PkiException>(() => CertificateRevocationList.ParseAndVerify(tampered, ca.Certificate), $"byte {i}");
        }
    }

    [Test]
    public void ParseAndVerify_CrlOfAnotherCa_IsRefused()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        using var other = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));

        var ex = Assert.Throws<PkiException>(() => CertificateRevocationList.ParseAndVerify(other.Publish(null), ca.Certificate));

        Assert.That(ex!.Message, Does.Contain("signature"));
    }

    [Test]
    public void Rotate_NewKey_KeepsNameAndRoleAndSupersedesOldCertificate()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        using var old = ca.Issue(SiteEnrollment.CreateRequest("site-a").CsrPem, ConsortiumRole.Site, TimeSpan.FromDays(30));
        var crl = ca.Publish(null);

        var (rotated, newCrl) = ca.Rotate(old, SiteEnrollment.CreateRequest("site-a").CsrPem, crl, TimeSpan.FromDays(30));
        using var _ = rotated;
        var trust = new ConsortiumTrust(ca.Certificate, CrlRevocationSource.FromPem(newCrl, ca.Certificate));
        var later = DateTimeOffset.UtcNow.AddMinutes(1);

        Assert.That(trust.Validate(rotated, ConsortiumRole.Site, later, "site-a").Name, Is.EqualTo("site-a"));
        Assert.Throws<IdentityException>(() => trust.Validate(old, ConsortiumRole.Site, later));
        Assert.That(rotated.GetPublicKeyString(), Is.Not.EqualTo(old.GetPublicKeyString()));
    }

    [Test]
    public void Rotate_RequestForAnotherName_IsRefused()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        using var old = ca.Issue(SiteEnrollment.CreateRequest("site-a").CsrPem, ConsortiumRole.Site, TimeSpan.FromDays(30));

        Assert.Throws<PkiException>(() => ca.Rotate(old, SiteEnrollment.CreateRequest("site-b").CsrPem, null, TimeSpan.FromDays(30)));
    }
}
