using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Cryptographic randomness: short requests come straight from the operating system's generator;
/// long ones (a ciphertext needs hundreds of KiB) from AES-256-CTR under a fresh 32-byte key drawn
/// from it for that request, the CTR_DRBG construction of NIST SP 800-90A §10.2 without
/// reseeding state, which runs several times faster than the system call path.
/// </summary>
public sealed class CryptographicRandomSource : IRandomSource
{
    private const int ExpansionThreshold = 4096;

    /// <summary>The process-wide instance; stateless, so safe to share.</summary>
    public static CryptographicRandomSource Shared { get; } = new();

    /// <inheritdoc />
    public void Fill(Span<byte> destination)
    {
        if (destination.Length < ExpansionThreshold)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        Span<byte> key = stackalloc byte[AesCtrStream.KeySize];
        RandomNumberGenerator.Fill(key);
        try
        {
            using var stream = new AesCtrStream(key);
            stream.Fill(destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
