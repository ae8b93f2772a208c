using System.Security.Cryptography;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Tests.Identity;

public sealed class SigningTranscriptTests
{
    private static readonly MessageBinding Binding = new("plan", 3, "site-a", "aggregator");

    [Test]
    public void Hash_WholeOrInTwoParts_IsSha256OfTheEncodedTranscript()
    {
        // Arrange
        var payload = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();

        // Act
        var encoded = SHA256.HashData(SigningTranscript.Encode("test/purpose", Binding, payload));
        var whole = SigningTranscript.Hash("test/purpose", Binding, payload);
        var parts = SigningTranscript.Hash("test/purpose", Binding, payload.AsSpan(0, 40), payload.AsSpan(40));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(whole, Is.EqualTo(encoded));
            Assert.That(parts, Is.EqualTo(encoded));
            Assert.That(SigningTranscript.Hash("test/purpose", Binding, payload.AsSpan(0, 40), payload.AsSpan(41)), Is.Not.EqualTo(encoded));
        });
    }

    [Test]
    public void Hash_FieldBoundaryMoved_DiffersFromTheOriginal()
    {
        // "ab" + "c" and "a" + "bc" as sender and recipient must not collide: every field is length-prefixed.
        var a = SigningTranscript.Hash("p", new MessageBinding("plan", 1, "ab", "c"), [1]);
        var b = SigningTranscript.Hash("p", new MessageBinding("plan", 1, "a", "bc"), [1]);

        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void Sign_HeadAndBody_VerifiesAsTheConcatenatedPayloadAndNotOtherwise()
    {
        // Arrange
        using var consortium = new TestConsortium();
        using var site = consortium.Issue("site-a", ConsortiumRole.Site);
        var head = new byte[] { 1, 2, 3, 4 };
        var body = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var payload = head.Concat(body).ToArray();

        // Act
        var split = site.Sign("test/purpose", Binding, head, body);
        var whole = site.Sign("test/purpose", Binding, payload);
        var flipped = body.ToArray();
        flipped[4321] ^= 0x10;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", Binding, payload, split), Is.True);
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", Binding, head, body, whole), Is.True);
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", Binding, head, flipped, split), Is.False);
            Assert.That(ConsortiumTrust.VerifyWithKey(site.Certificate, "test/purpose", Binding with { Recipient = "site-b" }, head, body, split), Is.False);
        });
    }
}
