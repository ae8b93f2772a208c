using System.Numerics;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Tests.Arithmetic;

public sealed class RnsBasisTests
{
    [Test]
    public void ComposeCentered_ThreePrimes_MatchesBigIntegerCrt()
    {
        // Arrange: the SEAL 8192 ciphertext primes {60, 40, 40}; values across the centred range
        const int n = 8;
        var primes = new[] { PrimeGenerator.NttPrimes(60, 1, 8192)[0] }.Concat(PrimeGenerator.NttPrimes(40, 2, 8192)).ToArray();
        var basis = new RnsBasis([.. primes.Select(q => new Modulus(q))]);
        var q = primes.Aggregate(BigInteger.One, (a, b) => a * b);
        BigInteger[] values = [0, 1, -1, 123456789, -(BigInteger.One << 80) + 17, (q - 1) / 2, -(q - 1) / 2, BigInteger.One << 100];
        var residues = new ulong[primes.Length * n];
        for (var i = 0; i < primes.Length; i++)
        {
            for (var j = 0; j < n; j++)
            {
                residues[(i * n) + j] = (ulong)(((values[j] % primes[i]) + primes[i]) % primes[i]);
            }
        }

        // Act
        var composed = new double[n];
        basis.ComposeCentered(residues, n, composed);

        // Assert: exact for small values, to double precision for large ones
        for (var j = 0; j < n; j++)
        {
            var expected = (double)values[j];
            Assert.That(composed[j], Is.EqualTo(expected).Within(System.Math.Abs(expected) * 1e-15), $"value {j}");
        }
    }

    [TestCase(50)]
    [TestCase(40)]
    public void ComposeCentered_TwoPrimesFastPath_BitIdenticalToGeneralLoop(int bits)
    {
        // Arrange: random residues plus the centring edges 0, 1, (q-1)/2, (q+1)/2 and q - 1 on both primes
        const int n = 4096;
        var primes = PrimeGenerator.NttPrimes(bits, 2, n);
        var basis = new RnsBasis([.. primes.Select(q => new Modulus(q))]);
        var random = new Random(bits);
        var residues = new ulong[2 * n];
        for (var i = 0; i < 2; i++)
        {
            var q = primes[i];
            ulong[] edges = [0, 1, (q - 1) / 2, (q + 1) / 2, q - 1];
            for (var j = 0; j < n; j++)
            {
                residues[(i * n) + j] = j < 25 ? edges[(i == 0 ? j : j / 5) % 5] : (ulong)random.NextInt64((long)q);
            }
        }

        var fast = new double[n];
        var general = new double[n];

        // Act
        basis.ComposeCentered(residues, n, fast);
        basis.ComposeCentered(residues, n, general, vectorize: false);

        // Assert
        Assert.That(fast, Is.EqualTo(general));
    }
}
