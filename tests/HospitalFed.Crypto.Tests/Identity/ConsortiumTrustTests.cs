using System.Security.Cryptography;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Tests.Identity;

public sealed class ConsortiumTrustTests
{
    private static readonly MessageBinding Binding = new(new string('a', 64), 3, "site-a", "aggregator");

    [Test]
    public void Validate_SiteCertificateFromConsortium_ReturnsNameAndRole()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);

        var party = consortium.Trust().Validate(site.Certificate, ConsortiumRole.Site, DateTimeOffset.UtcNow);

        Assert.That(party.Name, Is.EqualTo("site-a"));
        Assert.That(party.Role, Is.EqualTo(ConsortiumRole.Site));
    }

    [Test]
    public void Validate_CertificateFromAnotherCa_IsRefusedNamingTheRoot()
    {
        using var consortium = new TestConsortium();
        using var other = new TestConsortium("Rogue Root");
        using var site = other.Issue("site-a", ConsortiumRole.Site);

        var error = Assert.Throws<IdentityException>(() => consortium.Trust().Validate(site.Certificate, ConsortiumRole.Site, DateTimeOffset.UtcNow));
        Assert.That(error!.Message, Does.Contain("does not chain to the consortium root"));
    }

    [Test]
    public void Validate_WrongRole_IsRefused()
    {
        using var consortium = new TestConsortium();
        using var admin = consortium.Issue("alice", ConsortiumRole.Admin);

        var error = Assert.Throws<IdentityException>(() => consortium.Trust().Validate(admin.Certificate, ConsortiumRole.Site, DateTimeOffset.UtcNow));
        Assert.That(error!.Message, Does.Contain("has role 'admin', expected 'site'"));
    }

    [Test]
    public void Validate_MissingRoleExtension_IsRefused()
    {
        using var consortium = new TestConsortium();
        using var party = consortium.Issue("nobody", role: null);

        Assert.Throws<IdentityException>(() => consortium.Trust().Validate(party.Certificate, ConsortiumRole.Site, DateTimeOffset.UtcNow));
    }

    [Test]
    public void Validate_ExpiredCertificate_IsRefused()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site, DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow.AddHours(-2));

        Assert.Throws<IdentityException>(() => consortium.Trust().Validate(site.Certificate, ConsortiumRole.Site, DateTimeOffset.UtcNow));
    }

    [Test]
    public void Validate_RevokedCertificate_IsRefusedFromRevocationTimeOn()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);
        var revokedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var trust = consortium.Trust(new RevokedSerials([new(site.Certificate.SerialNumber, revokedAt)]));

        Assert.That(trust.Validate(site.Certificate, ConsortiumRole.Site, revokedAt.AddMinutes(-1)).Name, Is.EqualTo("site-a"));
        var error = Assert.Throws<IdentityException>(() => trust.Validate(site.Certificate, ConsortiumRole.Site, DateTimeOffset.UtcNow));
        Assert.That(error!.Message, Does.Contain("is revoked"));
    }

    [Test]
    public void VerifySignature_UntouchedMessage_Verifies()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);
        byte[] payload = [1, 2, 3];

        var signature = site.Sign("test/purpose", Binding, payload);

        Assert.That(signature, Has.Length.EqualTo(SigningIdentity.SignatureSize));
        Assert.That(consortium.Trust().VerifySignature(site.Certificate, ConsortiumRole.Site, DateTimeOffset.UtcNow, "test/purpose", Binding, payload, signature).Name, Is.EqualTo("site-a"));
    }

    [Test]
    public void VerifySignature_EveryBitFlipInSignatureOrPayload_IsRejected()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);
        byte[] payload = [1, 2, 3, 4];
        var signature = site.Sign("test/purpose", Binding, payload);

        for (var bit = 0; bit < signature.Length * 8; bit++)
        {
            var tampered = (byte[])signature.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", Binding, payload, tampered), Is.False, $"signature bit {bit}");
        }

        for (var bit = 0; bit < payload.Length * 8; bit++)
        {
            var tampered = (byte[])payload.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", Binding, tampered, signature), Is.False, $"payload bit {bit}");
        }
    }

    [Test]
    public void VerifySignature_OtherPlanRoundRecipientOrPurpose_IsRejected()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);
        byte[] payload = [9];
        var signature = site.Sign("test/purpose", Binding, payload);

        Assert.Multiple(() =>
        {
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", Binding with { PlanId = new string('b', 64) }, payload, signature), Is.False);
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", Binding with { Round = 4 }, payload, signature), Is.False);
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", Binding with { Recipient = "site-b" }, payload, signature), Is.False);
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/other", Binding, payload, signature), Is.False);
        });
    }

    [Test]
    public void Sign_AsAnotherSender_Throws()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);

        Assert.Throws<ArgumentException>(() => site.Sign("test/purpose", Binding with { Sender = "site-b" }, [1]));
    }

    [Test]
    public void Sign_AfterDispose_Throws()
    {
        using var consortium = new TestConsortium();
        var site = consortium.Issue("site-a", ConsortiumRole.Site);
        site.Dispose();
        site.Dispose(); // idempotent

        Assert.Throws<ObjectDisposedException>(() => site.Sign("test/purpose", Binding, [1]));
    }

    [Test]
    public void Constructor_KeyNotMatchingCertificate_Throws()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Throws<ArgumentException>(() => _ = new SigningIdentity(site.Certificate, otherKey));
    }
}
