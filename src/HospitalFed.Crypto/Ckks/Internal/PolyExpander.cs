using System.Security.Cryptography;
using System.Text;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// Expands a public 32-byte seed into a uniform polynomial in NTT form (uniform in the NTT
/// domain is uniform), as Kyber's Parse(XOF(rho)) does (FIPS 203 §4.2.2): AES-256-CTR keyed by
/// SHA-256(label, parameter fingerprint, seed), so seeds for different purposes or parameters
/// never expand alike.
/// </summary>
internal static class PolyExpander
{
    public const int SeedSize = 32;

    public static void Expand(CkksContext context, string label, ReadOnlySpan<byte> seed, int primeCount, Span<ulong> destination)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"seeds are {SeedSize} bytes; got {seed.Length}", nameof(seed));
        }

        var labelBytes = Encoding.UTF8.GetBytes(label);
        var input = new byte[labelBytes.Length + 1 + context.Parameters.Fingerprint.Length + SeedSize];
        labelBytes.CopyTo(input, 0);
        context.Parameters.Fingerprint.Span.CopyTo(input.AsSpan(labelBytes.Length + 1));
        seed.CopyTo(input.AsSpan(input.Length - SeedSize));
        Span<byte> key = stackalloc byte[SeedSize];
        SHA256.HashData(input, key);
        using var stream = new SeededRandomSource(key);
        var n = context.N;
        for (var i = 0; i < primeCount; i++)
        {
            Sampler.UniformModulo(stream, context.Moduli[i], destination.Slice(i * n, n));
        }
    }
}
