using System.Numerics;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Tests.Arithmetic;

public sealed class ModulusTests
{
    [TestCase(0x1FFFFFFFFFFFFFFFUL - 2)] // not prime, but any odd modulus < 2^61 reduces correctly
    [TestCase(1152921504606830593UL)]
    [TestCase(1099511922689UL)]
    [TestCase(65537UL)]
    public void Reduce_RandomWideValues_MatchesBigInteger(ulong q)
    {
        // Arrange
        var modulus = new Modulus(q);
        var random = new Random(1);

        for (var i = 0; i < 2000; i++)
        {
            var hi = (ulong)random.NextInt64() % q;
            var lo = (ulong)random.NextInt64() * 2;
            var expected = (ulong)((((BigInteger)hi << 64) + lo) % q);

            // Act / Assert
            Assert.That(modulus.Reduce(hi, lo), Is.EqualTo(expected));
        }
    }

    [TestCase(0x1FFFFFFFFFFFFFFFUL - 2)]
    [TestCase(1152921504606830593UL)]
    [TestCase(1099511922689UL)]
    [TestCase(65537UL)]
    [TestCase(3UL)]
    public void Reduce_AnyWord_MatchesRemainder(ulong q)
    {
        // Arrange: random words, and the extremes where the one-word quotient estimate is furthest off.
        var modulus = new Modulus(q);
        var random = new Random(2);
        var words = Enumerable.Range(0, 5000).Select(_ => (ulong)random.NextInt64() * 2 + (ulong)random.Next(2))
            .Concat([0UL, 1UL, q - 1, q, q + 1, (2 * q) - 1, 2 * q, ulong.MaxValue, ulong.MaxValue - 1, ulong.MaxValue - q, ulong.MaxValue / q * q, (ulong.MaxValue / q * q) - 1]);

        // Act / Assert
        foreach (var word in words)
        {
            Assert.That(modulus.Reduce(word), Is.EqualTo(word % q), $"word {word}");
        }
    }

    [Test]
    public void MultiplyShoup_RandomOperands_MatchesBarrett()
    {
        // Arrange
        var modulus = new Modulus(PrimeGenerator.NttPrimes(60, 1, 8192)[0]);
        var random = new Random(2);
        for (var i = 0; i < 2000; i++)
        {
            var x = (ulong)random.NextInt64();
            var w = (ulong)random.NextInt64((long)modulus.Value);

            // Act
            var shoup = Modulus.MultiplyShoup(x, w, modulus.ShoupFactor(w), modulus.Value);

            // Assert
            Assert.That(shoup, Is.EqualTo(modulus.Multiply(x, w)));
        }
    }

    [TestCase(-1L, 96UL)]
    [TestCase(-97L, 0UL)]
    [TestCase(200L, 6UL)]
    [TestCase(long.MinValue + 1, 19UL)]
    public void FromSigned_KnownValues_ReducesIntoRange(long x, ulong expected)
    {
        Assert.That(new Modulus(97).FromSigned(x), Is.EqualTo(expected));
    }

    [Test]
    public void NttPrimes_Seal8192Setting_AreTheKnownPrimes()
    {
        // Known answer (computed independently with Python's pow-based Miller-Rabin): the largest
        // 60- and 40-bit primes congruent to 1 mod 16384, as SEAL's CoeffModulus::Create picks them.
        var sixty = PrimeGenerator.NttPrimes(60, 2, 8192);
        var forty = PrimeGenerator.NttPrimes(40, 2, 8192);

        Assert.Multiple(() =>
        {
            Assert.That(sixty, Is.EqualTo(new[] { 1152921504606830593UL, 1152921504606748673UL }));
            Assert.That(forty, Is.EqualTo(new[] { 1099511480321UL, 1099510890497UL }));
        });
    }

    [TestCase(2UL, true)]
    [TestCase(561UL, false)] // Carmichael
    [TestCase(3215031751UL, false)] // strong pseudoprime to bases 2, 3, 5, 7
    [TestCase(18446744073709551557UL, true)] // largest 64-bit prime
    public void IsPrime_KnownValues_Classifies(ulong n, bool expected)
    {
        Assert.That(PrimeGenerator.IsPrime(n), Is.EqualTo(expected));
    }
}
