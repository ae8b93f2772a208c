namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// The HomomorphicEncryption.org security standard (Albrecht et al., 2018, Table 1, 128-bit
/// classical security, ternary secret): the largest total coefficient modulus, in bits, that each
/// supported ring degree allows.
/// </summary>
public static class SecurityStandard
{
    /// <summary>Largest log2(Q) for 128-bit security, by ring degree N.</summary>
    public static IReadOnlyDictionary<int, int> MaxModulusBits { get; } = new Dictionary<int, int>
    {
        [2048] = 54,
        [4096] = 109,
        [8192] = 218,
        [16384] = 438,
    };
}
