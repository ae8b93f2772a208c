using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Pki;
using Microsoft.Extensions.Time.Testing;

namespace HospitalFed.Ledger.Tests.Pki;

/// <summary>
/// Revoking twice, rotating after a revocation, and CRLs an older hfed wrote with a serial listed
/// twice: none may brick the consortium, and the CA can always re-issue a clean CRL.
/// </summary>
public sealed class DoubleRevocationTests
{
    [Test]
    public void Revoke_AlreadyRevokedSerial_ListsItOnceFromTheFirstTime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMinutes(1) };
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365), time);
        using var victim = Site(ca, "site-x");
        var once = ca.Revoke(ca.Publish(null), victim, X509RevocationReason.KeyCompromise);
        var first = CertificateRevocationList.ParseAndVerify(once, ca.Certificate).Entries.Single().RevokedAt;

        var twice = CertificateRevocationList.ParseAndVerify(ca.Revoke(once, victim), ca.Certificate);

        Assert.That(twice.Entries.Select(e => (e.SerialNumber, e.RevokedAt)), Is.EqualTo(new[] { (victim.SerialNumber, first) }));
        Assert.That(twice.Entries.Single().Reason, Is.EqualTo(X509RevocationReason.KeyCompromise));
        Assert.That(twice.DuplicatedSerials, Is.Empty);
    }

    [Test]
    public void Rotate_AfterRevoke_DoesNotListTheOldSerialTwice()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        using var old = Site(ca, "site-a");
        var revoked = ca.Revoke(ca.Publish(null), old);

        var (rotated, crl) = ca.Rotate(old, SiteEnrollment.CreateRequest("site-a").CsrPem, revoked, TimeSpan.FromDays(30));
        using var _ = rotated;

        Assert.That(CertificateRevocationList.ParseAndVerify(crl, ca.Certificate).Entries.Select(e => e.SerialNumber), Is.EqualTo(new[] { old.SerialNumber }));
    }

    [Test]
    public void ParseAndVerify_SerialListedTwice_RevokedFromTheEarliestListedTime()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        using var victim = Site(ca, "site-x");
        var (earliest, later) = (DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(-1));
        var legacy = LegacyDuplicate(ca, victim, later, earliest);

        var crl = CertificateRevocationList.ParseAndVerify(legacy, ca.Certificate);
        var source = new CrlRevocationSource(crl, ca.Certificate);

        Assert.That(crl.DuplicatedSerials, Is.EqualTo(new[] { victim.SerialNumber }));
        Assert.That(crl.TryGetRevocation(victim.SerialNumber, out var at) ? at : default, Is.EqualTo(Whole(earliest)));
        Assert.That(source.IsRevoked(victim, earliest.AddMinutes(30)), Is.True, "revoked from the earliest listed time, never the later one");
        Assert.That(source.IsRevoked(victim, earliest.AddMinutes(-30)), Is.False);
    }

    [Test]
    public void Publish_CrlListingASerialTwice_ReissuesItOnceWithTheEarliestTimeAndReason()
    {
        using var ca = ConsortiumAuthority.Create("Root", TimeSpan.FromDays(365));
        using var victim = Site(ca, "site-x");
        using var bystander = Site(ca, "site-y");
        var earliest = DateTimeOffset.UtcNow.AddHours(-2);
        var legacy = ca.Revoke(LegacyDuplicate(ca, victim, earliest.AddHours(1), earliest), bystander);

        var clean = CertificateRevocationList.ParseAndVerify(ca.Publish(legacy), ca.Certificate);

        Assert.That(clean.DuplicatedSerials, Is.Empty);
        Assert.That(clean.Entries.Select(e => e.SerialNumber), Is.EquivalentTo(new[] { victim.SerialNumber, bystander.SerialNumber }));
        var entry = clean.Entries.Single(e => e.SerialNumber == victim.SerialNumber);
        Assert.That(entry.RevokedAt, Is.EqualTo(Whole(earliest)));
        Assert.That(entry.Reason, Is.EqualTo(X509RevocationReason.KeyCompromise));
    }

    /// <summary>What hfed before issue 12 wrote after a second revocation: the serial listed twice.</summary>
    private static string LegacyDuplicate(ConsortiumAuthority ca, X509Certificate2 victim, DateTimeOffset first, DateTimeOffset second) =>
        ca.Publish(null, builder =>
        {
            builder.AddEntry(victim, second, X509RevocationReason.KeyCompromise);
            builder.AddEntry(victim, first, X509RevocationReason.Superseded);
        });

    private static X509Certificate2 Site(ConsortiumAuthority ca, string name) =>
        ca.Issue(SiteEnrollment.CreateRequest(name).CsrPem, ConsortiumRole.Site, TimeSpan.FromDays(30));

    // CRL times are whole seconds (UTCTime).
    private static DateTimeOffset Whole(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
