using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Deterministic randomness from a 32-byte seed (AES-256-CTR). For tests and simulations only:
/// anyone who knows the seed knows every key and noise drawn from it. Dispose to zero the key schedule.
/// </summary>
public sealed class SeededRandomSource : IRandomSource, IDisposable
{
    private readonly AesCtrStream _stream;
    private readonly Lock _gate = new();

    /// <summary>Creates the source from a 32-byte seed.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public SeededRandomSource(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != AesCtrStream.KeySize)
        {
            throw new ArgumentException($"seeds are {AesCtrStream.KeySize} bytes; got {seed.Length}", nameof(seed));
        }

        _stream = new AesCtrStream(seed);
    }

    /// <summary>A source seeded with SHA-256 of <paramref name="label"/>: convenient in tests.</summary>
    public static SeededRandomSource FromLabel(string label) =>
        new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(label)));

    /// <inheritdoc />
    public void Fill(Span<byte> destination)
    {
        lock (_gate)
        {
            _stream.Fill(destination);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
