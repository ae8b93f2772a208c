namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Parameter sets for addition-only aggregation, sized with <see cref="CkksNoiseBudget.HundredSites"/>:
/// 100 sites' values in [-1, 1] summed and collectively decrypted with 40-bit statistical
/// smudging stay within 2^-20 absolute error (so within 2^-20 relative error of the sum's range).
/// All use N = 4096 and two 50-bit primes (log2 Q = 100 &lt;= 109, the 128-bit bound), scale 2^88,
/// complex packing (N values per polynomial); they differ in width, i.e. values per ciphertext,
/// which trades wire size against padding for small models. Every preset sends ciphertexts with
/// c0 compressed to <see cref="CompressionBits"/> bits per coefficient and decryption shares to
/// <see cref="CompressionBits"/> bits (Kyber-style rounding; the rounding at 100 sites is about
/// 1/33 of the smudging variance). Docs: docs/ckks.md, "Compact ciphertexts".
/// </summary>
public static class CkksPresets
{
    private static readonly Lazy<ulong[]> Primes = new(() => Arithmetic.PrimeGenerator.NttPrimes(50, 2, 4096));

    /// <summary>
    /// Bits per compressed coefficient, w = w' = 45 of log2 Q ≈ 100: the least w for which 100
    /// uploads' rounding variance is at most 1/16 of the summed smudging variance at
    /// <see cref="CkksNoiseBudget.HundredSites"/> (and the rounding stays within rule
    /// 'compression precision').
    /// </summary>
    public const int CompressionBits = 45;

    /// <summary>Default: width 8, 32768 values per ciphertext, about 7.19 bytes per value uploaded.</summary>
    public static CkksParameters Aggregation { get; } = Make(8);

    /// <summary>For models below about 32k parameters: width 1, 4096 values per ciphertext, about 18.1 bytes per value uploaded.</summary>
    public static CkksParameters SmallModel { get; } = Make(1);

    /// <summary>For models above about 1M parameters: width 32, 131072 values per ciphertext, about 6.02 bytes per value uploaded.</summary>
    public static CkksParameters LargeModel { get; } = Make(32);

    private static CkksParameters Make(int width)
    {
        var parameters = new CkksParameters(4096, Primes.Value, System.Math.Pow(2, 88), width, CkksSlotPacking.Complex)
            .WithCompression(CompressionBits, CompressionBits);
        CkksNoiseBudget.HundredSites.EnsureCompressionFits(parameters);
        return parameters;
    }
}
