using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Tests.Identity;

public sealed class SignatureVerifierTests
{
    [Test]
    public void Verify_SignatureFromIdentity_AgreesWithConsortiumTrust()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);
        var binding = new MessageBinding("plan", 3, "site-a", "aggregator");
        var signature = site.Sign("test/purpose", binding, [1, 2, 3]);
        using var verifier = new SignatureVerifier(site.Certificate);

        Assert.That(verifier.Verify("test/purpose", binding, [1, 2, 3], signature), Is.True);
        Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", binding, [1, 2, 3], signature), Is.True);
    }

    [Test]
    public void Verify_AnyBitFlippedOrOtherBinding_IsRejected()
    {
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);
        var binding = new MessageBinding("plan", 3, "site-a", "aggregator");
        var signature = site.Sign("test/purpose", binding, [1, 2, 3]);
        using var verifier = new SignatureVerifier(site.Certificate);

        for (var bit = 0; bit < signature.Length * 8; bit++)
        {
            var flipped = signature.ToArray();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.That(verifier.Verify("test/purpose", binding, [1, 2, 3], flipped), Is.False, $"bit {bit}");
        }

        Assert.That(verifier.Verify("test/other", binding, [1, 2, 3], signature), Is.False);
        Assert.That(verifier.Verify("test/purpose", binding with { Round = 4 }, [1, 2, 3], signature), Is.False);
        Assert.That(verifier.Verify("test/purpose", binding, [1, 2, 3], signature[..63]), Is.False);
    }
}
