using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Tests.Identity;

namespace HospitalFed.Crypto.Tests.Ckks.Multiparty;

public sealed class SignedPublicKeyShareTests
{
    [Test]
    public void CollectiveKey_FromVerifiedSignedShares_EncryptsForTheSumOfSecrets()
    {
        // Arrange
        var context = new CkksContext(CkksPresets.SmallModel);
        using var consortium = new TestConsortium();
        var trust = consortium.Trust();
        var sites = new[] { "site-a", "site-b", "site-c" }.Select(n => consortium.Issue(n, ConsortiumRole.Site)).ToArray();
        using var random = SeededRandomSource.FromLabel("signed-pk");
        var generator = new CkksKeyGenerator(context, random);
        var keys = sites.Select(_ => generator.GenerateSecretKey()).ToArray();
        var crp = new CommonRandomPolynomial(context, new byte[32]);
        var protocol = new PublicKeyGenProtocol(context, random);
        var signed = sites.Zip(keys, (site, key) => SignedPublicKeyShare.Create(site, "plan", crp, protocol.GenShare(key, crp))).ToList();

        // Act
        var verified = signed.Select((s, i) => s.Verify(context, trust, sites[i].Certificate, "plan", crp, DateTimeOffset.UtcNow));
        var publicKey = protocol.GenPublicKey(protocol.AggregateShares(verified), crp);
        var ciphertext = new CkksEncryptor(context, publicKey, random).Encrypt([0.25, -0.5]);
        var decryption = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(3, 1, 3), random);
        var values = new double[2];
        decryption.Decrypt(ciphertext, decryption.AggregateShares(keys.Select(k => decryption.GenShare(k, ciphertext))), values);

        // Assert
        Assert.That(values, Is.EqualTo(new[] { 0.25, -0.5 }).Within(System.Math.Pow(2, -20)));
        foreach (var site in sites)
        {
            site.Dispose();
        }

        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    [Test]
    public void Verify_TamperedOtherPlanOrOtherCrp_Rejected()
    {
        var context = new CkksContext(CkksPresets.SmallModel);
        using var consortium = new TestConsortium();
        var trust = consortium.Trust();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);
        using var random = SeededRandomSource.FromLabel("signed-pk-tamper");
        using var key = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var crp = new CommonRandomPolynomial(context, new byte[32]);
        var signed = SignedPublicKeyShare.Create(site, "plan", crp, new PublicKeyGenProtocol(context, random).GenShare(key, crp));
        var flipped = (byte[])signed.Share.Clone();
        flipped[200] ^= 0x10;
        var otherCrp = new CommonRandomPolynomial(context, Enumerable.Repeat((byte)1, 32).ToArray());

        Assert.Multiple(() =>
        {
            Assert.That(() => (signed with { Share = flipped }).Verify(context, trust, site.Certificate, "plan", crp, DateTimeOffset.UtcNow), Throws.TypeOf<IdentityException>());
            Assert.That(() => signed.Verify(context, trust, site.Certificate, "other-plan", crp, DateTimeOffset.UtcNow), Throws.TypeOf<IdentityException>());
            Assert.That(() => signed.Verify(context, trust, site.Certificate, "plan", otherCrp, DateTimeOffset.UtcNow), Throws.TypeOf<IdentityException>().With.Message.Contains("another common random polynomial"));
        });
    }
}
