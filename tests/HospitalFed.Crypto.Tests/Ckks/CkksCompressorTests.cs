using System.Numerics;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Tests.Ckks;

/// <summary>The RNS compressor against Kyber's Compress_q / Decompress_q computed with big integers.</summary>
public sealed class CkksCompressorTests
{
    private static IEnumerable<TestCaseData> Settings()
    {
        yield return new TestCaseData(2048, new[] { 54 }, 44).SetName("Compressor_OnePrime_MatchesBigIntegerReference");
        yield return new TestCaseData(4096, new[] { 50, 50 }, 45).SetName("Compressor_PresetPrimes_MatchesBigIntegerReference");
        yield return new TestCaseData(4096, new[] { 36, 36, 36 }, 61).SetName("Compressor_ThreePrimesWideWords_MatchesBigIntegerReference");
        yield return new TestCaseData(4096, new[] { 50, 50 }, 7).SetName("Compressor_FewBits_MatchesBigIntegerReference");
    }

    [TestCaseSource(nameof(Settings))]
    public void Compress_RandomAndBoundaryCoefficients_ExactlyKyberRounding(int n, int[] primeBits, int bits)
    {
        // Arrange: random x in [0, Q) plus the values around every rounding boundary we can reach
        var context = new CkksContext(CkksParameters.Create(n, primeBits, 1 << 20));
        var compressor = new CkksCompressor(context, bits);
        var primes = context.Parameters.CoefficientModuli.Select(q => (BigInteger)q).ToArray();
        var q = primes.Aggregate(BigInteger.One, (a, b) => a * b);
        var random = new Random(bits);
        var xs = new BigInteger[n];
        for (var j = 0; j < n; j++)
        {
            var bytes = new byte[(int)(q.GetBitLength() / 8) + 2];
            random.NextBytes(bytes);
            xs[j] = new BigInteger(bytes, isUnsigned: true) % q;
        }

        // boundaries: x just below, at and above Q (m + 1/2) / 2^w, and the ends of the range
        for (var j = 0; j < 30; j++)
        {
            var m = new BigInteger(random.NextInt64(0, 1L << System.Math.Min(bits, 62))) % (BigInteger.One << bits);
            var boundary = ((2 * m) + 1) * q / (BigInteger.One << (bits + 1));
            xs[3 * j] = boundary % q;
            xs[(3 * j) + 1] = (boundary + 1) % q;
            xs[(3 * j) + 2] = (boundary + q - 1) % q;
        }

        xs[n - 1] = q - 1;
        xs[n - 2] = 0;
        var residues = new ulong[primes.Length * n];
        for (var i = 0; i < primes.Length; i++)
        {
            for (var j = 0; j < n; j++)
            {
                residues[(i * n) + j] = (ulong)(xs[j] % primes[i]);
            }
        }

        // Act
        var compressed = new ulong[n];
        compressor.Compress(residues, compressed);
        var decompressed = new ulong[residues.Length];
        compressor.Decompress(compressed, decompressed);
        var again = new ulong[n];
        compressor.Compress(decompressed, again);

        // Assert
        var twoW = BigInteger.One << bits;
        for (var j = 0; j < n; j++)
        {
            var expected = (((twoW * 2 * xs[j]) + q) / (2 * q)) % twoW;
            var restored = (((2 * q * compressed[j]) + twoW) / (2 * twoW)) % q;
            Assert.That((BigInteger)compressed[j], Is.EqualTo(expected), $"Compress of coefficient {j}");
            for (var i = 0; i < primes.Length; i++)
            {
                Assert.That((BigInteger)decompressed[(i * n) + j], Is.EqualTo(restored % primes[i]), $"Decompress of coefficient {j} modulo prime {i}");
            }

            var error = BigInteger.Abs(Centered(restored - xs[j], q));
            Assert.That(error * twoW * 2, Is.LessThanOrEqualTo(q + twoW), $"rounding error of coefficient {j} exceeds Q / 2^(w+1)");
        }

        Assert.That(again, Is.EqualTo(compressed), "Compress(Decompress(y)) = y");
    }

    [Test]
    public void DecompressAdd_AddsToExistingResidues()
    {
        var context = CkksTestData.Compressed;
        var compressor = context.CiphertextCompressor!;
        var n = context.N;
        var values = Enumerable.Range(0, n).Select(j => (ulong)j * 0x1234567UL % (1UL << 44)).ToArray();
        var once = new ulong[n];
        compressor.Decompress(values, once);
        var twice = (ulong[])once.Clone();

        compressor.DecompressAdd(values, twice);

        var q = context.Parameters.CoefficientModuli[0];
        Assert.That(twice, Is.EqualTo(once.Select(v => (v + v) % q).ToArray()));
    }

    [Test]
    public void CompressAndDecompress_EveryPathThisMachineHas_BitIdenticalToScalar()
    {
        // Arrange: the preset's two 50-bit primes at w = 45, random residues plus 0 and q - 1.
        var context = new CkksContext(CkksParameters.Create(4096, [50, 50], 1 << 20));
        var compressor = new CkksCompressor(context, 45);
        var n = context.N;
        var primes = context.Parameters.CoefficientModuli;
        var random = new Random(7);
        var residues = new ulong[2 * n];
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < n; j++)
            {
                residues[(i * n) + j] = j switch { 0 => 0, 1 => primes[i] - 1, _ => (ulong)random.NextInt64() % primes[i] };
            }
        }

        var existing = residues.Select((r, k) => (r * 3) % primes[k / n]).ToArray();
        var reference = new ulong[n];
        compressor.Compress(residues, reference, SimdWidth.Scalar);
        var decompressed = new ulong[2 * n];
        compressor.Decompress(reference, decompressed, false, SimdWidth.Scalar);
        var added = (ulong[])existing.Clone();
        compressor.Decompress(reference, added, true, SimdWidth.Scalar);

        foreach (var width in SimdSupport.Supported)
        {
            // Act
            var compressed = new ulong[n];
            compressor.Compress(residues, compressed, width);
            var restored = new ulong[2 * n];
            compressor.Decompress(compressed, restored, false, width);
            var sum = (ulong[])existing.Clone();
            compressor.Decompress(compressed, sum, true, width);

            // Assert
            Assert.Multiple(() =>
            {
                Assert.That(compressed, Is.EqualTo(reference), $"{width}: Compress");
                Assert.That(restored, Is.EqualTo(decompressed), $"{width}: Decompress");
                Assert.That(sum, Is.EqualTo(added), $"{width}: DecompressAdd");
            });
        }

        TestContext.Out.WriteLine($"paths checked: {string.Join(", ", SimdSupport.Supported)}");
    }

    private static BigInteger Centered(BigInteger value, BigInteger q)
    {
        var r = ((value % q) + q) % q;
        return r > q / 2 ? r - q : r;
    }
}
