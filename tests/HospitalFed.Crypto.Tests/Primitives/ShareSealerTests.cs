using System.Security.Cryptography;
using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Crypto.Tests.Primitives;

public sealed class ShareSealerTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
    private static readonly MessageBinding Binding = new("plan-1", 3, "site-a", "site-b");

    [Test]
    public void SealThenOpen_SameBinding_ReturnsPlaintext()
    {
        using var random = new SeededRandom(1);
        var plaintext = Enumerable.Range(0, 70).Select(i => (byte)i).ToArray();

        var (nonce, ciphertext) = ShareSealer.Seal(Key, Binding, plaintext, random);

        Assert.That(ciphertext, Has.Length.EqualTo(70 + ShareSealer.TagSize));
        Assert.That(ShareSealer.Open(Key, Binding, nonce, ciphertext), Is.EqualTo(plaintext));
    }

    [Test]
    public void Open_EveryBitFlipInNonceCiphertextOrTag_IsCaught()
    {
        using var random = new SeededRandom(2);
        var (nonce, ciphertext) = ShareSealer.Seal(Key, Binding, new byte[70], random);

        var sealedBytes = nonce.Concat(ciphertext).ToArray();
        for (var bit = 0; bit < sealedBytes.Length * 8; bit++)
        {
            var tampered = (byte[])sealedBytes.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));

            Assert.Throws<AuthenticationTagMismatchException>(
                () => ShareSealer.Open(Key, Binding, tampered.AsSpan(0, ShareSealer.NonceSize), tampered.AsSpan(ShareSealer.NonceSize)),
                $"bit {bit}");
        }
    }

    [TestCase("plan-2", 3, "site-a", "site-b")]
    [TestCase("plan-1", 4, "site-a", "site-b")]
    [TestCase("plan-1", 3, "site-c", "site-b")]
    [TestCase("plan-1", 3, "site-a", "site-c")]
    [TestCase("plan-1", 3, "site-b", "site-a")]
    public void Open_OtherPlanRoundSenderOrRecipient_IsCaught(string plan, long round, string sender, string recipient)
    {
        using var random = new SeededRandom(3);
        var (nonce, ciphertext) = ShareSealer.Seal(Key, Binding, new byte[70], random);

        Assert.Throws<AuthenticationTagMismatchException>(() => ShareSealer.Open(Key, new MessageBinding(plan, round, sender, recipient), nonce, ciphertext));
    }

    [Test]
    public void Open_WrongSizes_AreRefusedNamingTheField()
    {
        Assert.That(() => ShareSealer.Open(Key, Binding, new byte[11], new byte[32]), Throws.ArgumentException.With.Message.Contains("nonce"));
        Assert.That(() => ShareSealer.Open(Key, Binding, new byte[12], new byte[15]), Throws.ArgumentException.With.Message.Contains("tag"));
        Assert.That(() => ShareSealer.Open(new byte[16], Binding, new byte[12], new byte[32]), Throws.ArgumentException.With.Message.Contains("share key"));
    }
}
