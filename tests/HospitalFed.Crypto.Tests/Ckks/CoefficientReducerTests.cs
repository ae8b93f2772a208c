using System.Numerics;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class CoefficientReducerTests
{
    private static readonly string[] Widths = [nameof(SimdWidth.Scalar), nameof(SimdWidth.Vector256), nameof(SimdWidth.Vector512)];

    // (prime bits, magnitude bits): the presets' 50-bit primes under 2^98, and a 61-bit prime under 2^200 (4 digits)
    private static readonly object[] Settings =
    [
        .. Widths.SelectMany(w => new object[] { new object[] { w, 50, 98.0 }, new object[] { w, 61, 200.0 }, new object[] { w, 20, 60.0 } }),
    ];

    [TestCaseSource(nameof(Settings))]
    public void Reduce_IntegralDoublesAndNoise_EqualsExactResidue(string widthName, int primeBits, double magnitudeBits)
    {
        // Arrange: integral doubles of every magnitude up to the bound, edge values, and noise over the full long range
        var width = Enum.Parse<SimdWidth>(widthName);
        var q = PrimeGenerator.NttPrimes(primeBits, 1, 2048)[0];
        var reducer = new CoefficientReducer(new Modulus(q), magnitudeBits);
        var random = new Random(primeBits);
        var coefficients = new List<double> { 0, -0.0, 1, -1, q, -(double)q, System.Math.ScaleB(1, 51), -System.Math.ScaleB(1, 51), System.Math.ScaleB(1, 52) + 2, -System.Math.ScaleB(1, 53) };
        coefficients.Add(System.Math.BitDecrement(System.Math.ScaleB(1, (int)magnitudeBits)));
        coefficients.Add(-System.Math.BitDecrement(System.Math.ScaleB(1, (int)magnitudeBits)));
        while (coefficients.Count < 1000)
        {
            var magnitude = System.Math.ScaleB(random.NextDouble(), random.Next(0, (int)magnitudeBits + 1));
            coefficients.Add(System.Math.Round(random.Next(2) == 0 ? magnitude : -magnitude));
        }

        var noise = Enumerable.Range(0, coefficients.Count).Select(i => i % 3 == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.NextInt64(-40, 41)).ToArray();
        noise[1] = long.MinValue;
        noise[2] = long.MaxValue;
        var destination = new ulong[coefficients.Count];

        // Act
        reducer.Reduce([.. coefficients], noise, destination, width);

        // Assert
        for (var j = 0; j < coefficients.Count; j++)
        {
            var expected = (ulong)BigInteger.Remainder((new BigInteger(coefficients[j]) + noise[j]) % q + q, q);
            Assert.That(destination[j], Is.EqualTo(expected), $"coefficient {j}: {coefficients[j]:R} + {noise[j]} mod {q}");
        }
    }

    [TestCase(nameof(SimdWidth.Scalar))]
    [TestCase(nameof(SimdWidth.Vector512))]
    public void Reduce_NoNoise_EqualsExactResidue(string widthName)
    {
        var width = Enum.Parse<SimdWidth>(widthName);
        var q = PrimeGenerator.NttPrimes(50, 1, 4096)[0];
        var reducer = new CoefficientReducer(new Modulus(q), 98);
        var coefficients = CkksTestData.RandomValues(4096, seed: 3, bound: System.Math.ScaleB(1, 97)).Select(x => System.Math.Round(x)).ToArray();
        var destination = new ulong[coefficients.Length];

        reducer.Reduce(coefficients, [], destination, width);

        Assert.That(destination, Is.EqualTo(coefficients.Select(c => (ulong)((new BigInteger(c) % q) + q) % q)));
    }

    [Test]
    public void DigitCount_PresetBound_IsTwo()
    {
        var q = PrimeGenerator.NttPrimes(50, 1, 4096)[0];

        Assert.Multiple(() =>
        {
            Assert.That(new CoefficientReducer(new Modulus(q), 98).DigitCount, Is.EqualTo(2));
            Assert.That(new CoefficientReducer(new Modulus(q), 200).DigitCount, Is.EqualTo(4));
        });
    }

    [Test]
    public void Reduce_ShortNoise_Throws()
    {
        var reducer = new CoefficientReducer(new Modulus(PrimeGenerator.NttPrimes(50, 1, 4096)[0]), 98);

        Assert.That(() => reducer.Reduce(new double[16], new long[8], new ulong[16], SimdWidth.Scalar), Throws.ArgumentException);
    }
}
