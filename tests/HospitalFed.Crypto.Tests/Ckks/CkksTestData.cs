using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Tests.Ckks;

/// <summary>Shared small parameter sets and helpers: small N keeps the suite fast.</summary>
internal static class CkksTestData
{
    private static readonly Lazy<CkksContext> SmallContext = new(() =>
        new CkksContext(CkksParameters.Create(2048, [54], System.Math.Pow(2, 40))));

    private static readonly Lazy<CkksContext> WideContext = new(() =>
        new CkksContext(CkksParameters.Create(2048, [54], System.Math.Pow(2, 40), width: 3, packing: CkksSlotPacking.Complex)));

    private static readonly Lazy<CkksContext> TwoPrimeContext = new(() =>
        new CkksContext(CkksParameters.Create(4096, [50, 50], System.Math.Pow(2, 70), width: 2, packing: CkksSlotPacking.Complex)));

    private static readonly Lazy<CkksContext> SealContext = new(() =>
        new CkksContext(CkksParameters.Create(8192, [60, 40, 40, 60], System.Math.Pow(2, 40), specialPrimeCount: 1)));

    private static readonly Lazy<CkksContext> CompressedContext = new(() =>
        new CkksContext(CkksParameters.Create(2048, [54], System.Math.Pow(2, 40), width: 3, packing: CkksSlotPacking.Complex).WithCompression(44, 44)));

    /// <summary>Like <see cref="Wide"/>, with c0 and decryption shares compressed to 44 of 54 bits.</summary>
    public static CkksContext Compressed => CompressedContext.Value;

    private static readonly Lazy<CkksContext> SmallModelContext = new(() => new CkksContext(CkksPresets.SmallModel));

    /// <summary><see cref="CkksPresets.SmallModel"/> (N = 4096, width 1, compressed to 45 bits): big enough for smudging.</summary>
    public static CkksContext SmallModel => SmallModelContext.Value;

    /// <summary>The SEAL/TenSEAL setting: N = 8192, {60, 40, 40, 60}, last prime key-only.</summary>
    public static CkksContext Seal => SealContext.Value;

    /// <summary>N = 2048, one 54-bit prime, scale 2^40, width 1, real packing.</summary>
    public static CkksContext Small => SmallContext.Value;

    /// <summary>N = 2048, one 54-bit prime, width 3, complex packing (6144 values per ciphertext).</summary>
    public static CkksContext Wide => WideContext.Value;

    /// <summary>N = 4096, two 50-bit primes, scale 2^70 (coefficients above 2^64), width 2, complex packing.</summary>
    public static CkksContext TwoPrime => TwoPrimeContext.Value;

    public static double[] RandomValues(int count, int seed, double bound = 1.0)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => ((random.NextDouble() * 2) - 1) * bound)];
    }

    public static double MaxError(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            max = System.Math.Max(max, System.Math.Abs(expected[i] - actual[i]));
        }

        return max;
    }

    /// <summary>A copy of <paramref name="bytes"/> with one byte replaced: malformed-input tests.</summary>
    public static byte[] Set(byte[] bytes, int index, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }

    /// <summary>A copy of <paramref name="bytes"/> with a range filled with <paramref name="value"/>.</summary>
    public static byte[] SetRange(byte[] bytes, int index, int count, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy.AsSpan(index, count).Fill(value);
        return copy;
    }
}
