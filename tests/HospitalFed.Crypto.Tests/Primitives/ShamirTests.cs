using System.Numerics;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Crypto.Tests.Primitives;

public sealed class ShamirTests
{
    // f(x) = s + a1 x + a2 x^2 mod p with s = 0x00 01 .. 1f, a1 = 2^255 + 12345, a2 = p - 7,
    // evaluated independently (Python big integers).
    private static readonly string[] KnownShares =
    [
        "00800102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d4e51",
        "00000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d7d4c",
        "00800102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1dad62",
        "00000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1ddc41",
        "00800102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1e0c3b",
    ];

    [Test]
    public void Prime_Is2To256Plus297_AndPassesMillerRabin()
    {
        var p = Shamir.Prime;

        Assert.That(p, Is.EqualTo((BigInteger.One << 256) + 297));
        Assert.That(IsProbablePrime(p), Is.True);
        Assert.That(Enumerable.Range(1, 149).Select(k => (BigInteger.One << 256) + (2 * k) - 1).Where(IsProbablePrime).ToArray(), Is.EqualTo(new[] { p }), "no smaller prime above 2^256");
    }

    [Test]
    public void Combine_KnownAnswerShares_ReturnsSecretFromEveryTriple()
    {
        var expected = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var shares = KnownShares.Select((hex, i) => new ShamirShare(i + 1, Convert.FromHexString(hex))).ToArray();

        foreach (var triple in Subsets(5, 3))
        {
            var secret = Shamir.Combine(triple.Select(i => shares[i]).ToArray(), threshold: 3);

            Assert.That(secret, Is.EqualTo(expected), $"shares {string.Join(",", triple)}");
        }
    }

    [Test]
    public void Split_ThenAnyThresholdSubset_Reconstructs()
    {
        using var random = new SeededRandom(7);
        var secret = new byte[32];
        random.GetBytes(secret);
        var holders = new[] { 3, 5, 8, 13, 21 };

        var shares = Shamir.Split(secret, threshold: 3, holders, random);

        Assert.That(shares, Has.All.Length.EqualTo(Shamir.ShareSize));
        foreach (var subset in Subsets(5, 3))
        {
            var chosen = subset.Select(i => new ShamirShare(holders[i], shares[i])).ToArray();
            Assert.That(Shamir.Combine(chosen, 3), Is.EqualTo(secret));
        }
    }

    [Test]
    public void Combine_FewerThanThresholdShares_GivesWrongSecretOrThrows()
    {
        using var random = new SeededRandom(8);
        var secret = new byte[32];
        random.GetBytes(secret);
        var shares = Shamir.Split(secret, threshold: 3, [1, 2, 3], random);
        var two = new[] { new ShamirShare(1, shares[0]), new ShamirShare(2, shares[1]) };

        Assert.Throws<ArgumentException>(() => Shamir.Combine(two, 3));
        byte[]? degreeOne = null;
        try
        {
            degreeOne = Shamir.Combine(two, 2);
        }
        catch (ArgumentException)
        {
            // interpolating to a value wider than 32 bytes is also a correct refusal
        }

        Assert.That(degreeOne, Is.Not.EqualTo(secret));
    }

    [Test]
    public void Split_InvalidArguments_AreRefusedNamingTheProblem()
    {
        using var random = new SeededRandom(9);

        Assert.That(() => Shamir.Split(new byte[33], 2, [1, 2], random), Throws.ArgumentException.With.Message.Contains("at most 32 bytes"));
        Assert.That(() => Shamir.Split(new byte[32], 3, [1, 2], random), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Shamir.Split(new byte[32], 2, [1, 1], random), Throws.ArgumentException.With.Message.Contains("appears twice"));
        Assert.That(() => Shamir.Split(new byte[32], 2, [0, 1], random), Throws.ArgumentException.With.Message.Contains("positive"));
    }

    [Test]
    public void Combine_ValueNotInField_IsRefused()
    {
        var tooBig = Enumerable.Repeat((byte)0xFF, Shamir.ShareSize).ToArray(); // 2^264 - 1 > p

        Assert.That(() => Shamir.Combine([new ShamirShare(1, tooBig)], 1), Throws.ArgumentException.With.Message.Contains("not an element"));
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        for (var mask = 0; mask < 1 << n; mask++)
        {
            if (BitOperations.PopCount((uint)mask) == k)
            {
                yield return Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).ToArray();
            }
        }
    }

    private static bool IsProbablePrime(BigInteger n)
    {
        var d = n - 1;
        var s = 0;
        while (d.IsEven)
        {
            d >>= 1;
            s++;
        }

        foreach (var a in new BigInteger[] { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53 })
        {
            var x = BigInteger.ModPow(a, d, n);
            if (x.IsOne || x == n - 1)
            {
                continue;
            }

            var composite = true;
            for (var r = 1; r < s && composite; r++)
            {
                x = BigInteger.ModPow(x, 2, n);
                composite = x != n - 1;
            }

            if (composite)
            {
                return false;
            }
        }

        return true;
    }
}
