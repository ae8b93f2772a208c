using System.Numerics;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks.Internal;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class CkksEncoderTests
{
    private static readonly Lazy<CkksContext> Aggregation = new(() => new CkksContext(CkksPresets.Aggregation));

    [TestCase(nameof(SimdWidth.Vector256))]
    [TestCase(nameof(SimdWidth.Vector512))]
    public void Encode_VectorWidth_ResiduesIdenticalToScalar(string widthName)
    {
        // Arrange: the default preset (coefficients near 2^82, above the old 2^62 fast path) with noise
        var context = Aggregation.Value;
        var n = context.N;
        var values = CkksTestData.RandomValues(n, seed: 11);
        var noise = Enumerable.Range(0, n).Select(i => (long)((i * 7919) % 41) - 20).ToArray();
        var expected = new ulong[context.CiphertextPrimeCount * n];
        var actual = new ulong[expected.Length];

        // Act
        new CkksEncoder(context, SimdWidth.Scalar).Encode(values, noise, expected, 0);
        new CkksEncoder(context, Enum.Parse<SimdWidth>(widthName)).Encode(values, noise, actual, 0);

        // Assert
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Encode_PartialPolynomial_EqualsRoundedEmbeddingModuloEachPrime()
    {
        // Arrange: reference = the scalar inverse FFT, round(x * Δ), then exact BigInteger residues
        var context = CkksTestData.TwoPrime;
        var n = context.N;
        var values = CkksTestData.RandomValues(n - 100, seed: 12);
        var noise = Enumerable.Range(0, n).Select(i => (long)(i % 7) - 3).ToArray();
        var re = values.Take(n / 2).ToArray();
        var im = values.Skip(n / 2).Concat(new double[100]).ToArray();
        context.Fft.Inverse(re, im, SimdWidth.Scalar);
        var coefficients = re.Concat(im).Select(x => new BigInteger(System.Math.Round(x * context.Parameters.Scale))).ToArray();
        var residues = new ulong[context.CiphertextPrimeCount * n];

        // Act
        new CkksEncoder(context).Encode(values, noise, residues, 0);

        // Assert
        for (var i = 0; i < context.CiphertextPrimeCount; i++)
        {
            var q = context.Moduli[i].Value;
            var expected = coefficients.Select((c, j) => (ulong)(((c + noise[j]) % q + q) % q));
            Assert.That(residues.AsSpan(i * n, n).ToArray(), Is.EqualTo(expected), $"prime {i}");
        }
    }

    [TestCase(nameof(SimdWidth.Scalar))]
    [TestCase(nameof(SimdWidth.Vector256))]
    [TestCase(nameof(SimdWidth.Vector512))]
    public void DecodeEncode_EachWidth_WithinPresetPrecisionAndIdenticalToScalar(string widthName)
    {
        var context = Aggregation.Value;
        var values = CkksTestData.RandomValues(context.N, seed: 13);
        var residues = new ulong[context.CiphertextPrimeCount * context.N];
        var encoder = new CkksEncoder(context, Enum.Parse<SimdWidth>(widthName));
        var decoded = new double[values.Length];
        var scalarDecoded = new double[values.Length];

        encoder.Encode(values, [], residues, 0);
        encoder.Decode(residues, decoded);
        new CkksEncoder(context, SimdWidth.Scalar).Decode(residues, scalarDecoded);

        Assert.Multiple(() =>
        {
            Assert.That(CkksTestData.MaxError(values, decoded), Is.LessThan(System.Math.Pow(2, -20)));
            Assert.That(decoded, Is.EqualTo(scalarDecoded));
        });
    }

    [TestCase(nameof(SimdWidth.Scalar), 0)]
    [TestCase(nameof(SimdWidth.Vector512), 4093)]
    [TestCase(nameof(SimdWidth.Vector256), 2049)]
    public void Encode_NonFiniteValue_MessageNamesOffset(string widthName, int index)
    {
        var context = Aggregation.Value;
        var values = CkksTestData.RandomValues(context.N, seed: 14);
        values[index] = index % 2 == 0 ? double.NaN : double.NegativeInfinity;
        var encoder = new CkksEncoder(context, Enum.Parse<SimdWidth>(widthName));

        Assert.That(
            () => encoder.Encode(values, [], new ulong[context.CiphertextPrimeCount * context.N], 8192),
            Throws.ArgumentException.With.Message.Contains($"value at offset {8192 + index} is not a finite number"));
    }

    [TestCase(nameof(SimdWidth.Scalar))]
    [TestCase(nameof(SimdWidth.Vector512))]
    public void Encode_ValueTooLargeForScale_Throws(string widthName)
    {
        var context = Aggregation.Value;
        var values = CkksTestData.RandomValues(context.N, seed: 15);
        values[77] = 1e9;
        var encoder = new CkksEncoder(context, Enum.Parse<SimdWidth>(widthName));

        Assert.That(
            () => encoder.Encode(values, [], new ulong[context.CiphertextPrimeCount * context.N], 0),
            Throws.ArgumentException.With.Message.Contains("too large for this scale"));
    }
}
