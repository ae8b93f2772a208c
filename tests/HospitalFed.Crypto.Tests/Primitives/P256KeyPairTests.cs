using System.Security.Cryptography;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Crypto.Tests.Primitives;

public sealed class P256KeyPairTests
{
    [Test]
    public void Agree_BothDirections_GiveTheSameSecret()
    {
        using var random = new SeededRandom(4);
        using var a = P256KeyPair.Generate(random);
        using var b = P256KeyPair.Generate(random);

        Assert.That(a.Agree(b.PublicKey), Is.EqualTo(b.Agree(a.PublicKey)));
    }

    [Test]
    public void FromPrivateKey_ExportedScalar_RecreatesThePublicKey()
    {
        using var random = new SeededRandom(5);
        using var original = P256KeyPair.Generate(random);
        var scalar = original.ExportPrivateKey();

        using var copy = P256KeyPair.FromPrivateKey(scalar);

        Assert.That(copy.PublicKey, Is.EqualTo(original.PublicKey));
    }

    [Test]
    public void FromPrivateKey_ZeroOrOrderOrMore_IsRefused()
    {
        Assert.That(() => P256KeyPair.FromPrivateKey(new byte[32]), Throws.InstanceOf<CryptographicException>());
        Assert.That(() => P256KeyPair.FromPrivateKey(Enumerable.Repeat((byte)0xFF, 32).ToArray()), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public void Agree_PointNotOnCurve_IsRefused()
    {
        using var random = new SeededRandom(6);
        using var a = P256KeyPair.Generate(random);
        var bad = (byte[])a.PublicKey.Clone();
        bad[64] ^= 1;

        Assert.That(P256KeyPair.IsValidPublicKey(bad), Is.False);
        Assert.That(() => a.Agree(bad), Throws.InstanceOf<CryptographicException>());
    }
}
