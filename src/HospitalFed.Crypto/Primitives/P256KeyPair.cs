using System.Numerics;
using System.Security.Cryptography;

namespace HospitalFed.Crypto.Primitives;

/// <summary>
/// An ephemeral ECDH P-256 key pair whose private scalar comes from an injectable randomness
/// source (so tests can be deterministic) and can be exported for Shamir sharing and
/// re-imported after reconstruction. Zeroes its scalar on dispose.
/// </summary>
public sealed class P256KeyPair : IDisposable
{
    /// <summary>The size of an uncompressed public point: 0x04 || X || Y.</summary>
    public const int PublicKeySize = 65;

    /// <summary>The size of a private scalar.</summary>
    public const int PrivateKeySize = 32;

    // The order n of the P-256 base point (FIPS 186-4 appendix D.1.2.3).
    private static readonly BigInteger Order = BigInteger.Parse("115792089210356248762697446949407573529996955224135760342422259061068512044369");

    private readonly ECDiffieHellman _key;
    private readonly byte[] _scalar;
    private bool _disposed;

    private P256KeyPair(byte[] scalar)
    {
        _scalar = scalar;
        _key = ECDiffieHellman.Create();
        _key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar }); // Q is derived from D
        var q = _key.ExportParameters(false).Q;
        PublicKey = [0x04, .. q.X!, .. q.Y!];
    }

    /// <summary>The uncompressed public point.</summary>
    public byte[] PublicKey { get; }

    /// <summary>Draws a uniform scalar in [1, n) from <paramref name="random"/> by rejection sampling.</summary>
    public static P256KeyPair Generate(RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var scalar = new byte[PrivateKeySize];
        while (true)
        {
            random.GetBytes(scalar);
            var value = new BigInteger(scalar, isUnsigned: true, isBigEndian: true);
            if (!value.IsZero && value < Order)
            {
                return new P256KeyPair(scalar);
            }
        }
    }

    /// <summary>Re-creates a key pair from a private scalar (for example one reconstructed from Shamir shares).</summary>
    /// <exception cref="CryptographicException">The scalar is not in [1, n).</exception>
    public static P256KeyPair FromPrivateKey(ReadOnlySpan<byte> scalar)
    {
        var value = new BigInteger(scalar, isUnsigned: true, isBigEndian: true);
        if (scalar.Length != PrivateKeySize || value.IsZero || value >= Order)
        {
            throw new CryptographicException("the value is not a P-256 private scalar");
        }

        return new P256KeyPair(scalar.ToArray());
    }

    /// <summary>Copies the private scalar (32 bytes, big-endian). The caller must zero the copy.</summary>
    public byte[] ExportPrivateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_scalar.Clone();
    }

    /// <summary>Computes the raw ECDH agreement (the x-coordinate, 32 bytes) with <paramref name="peerPublicKey"/>.</summary>
    /// <exception cref="CryptographicException">The peer key is not a valid uncompressed P-256 point.</exception>
    public byte[] Agree(ReadOnlySpan<byte> peerPublicKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var peer = ImportPublicKey(peerPublicKey);
        return _key.DeriveRawSecretAgreement(peer.PublicKey);
    }

    /// <summary>Computes the raw ECDH agreement with a peer key already imported by <see cref="ImportPublicKey"/> (to agree with one peer many times).</summary>
    internal byte[] Agree(ECDiffieHellman peer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var peerKey = peer.PublicKey;
        return _key.DeriveRawSecretAgreement(peerKey);
    }

    /// <summary>Checks that <paramref name="publicKey"/> is a valid uncompressed P-256 point.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey)
    {
        try
        {
            using var key = ImportPublicKey(publicKey);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Zeroes the private scalar and releases the key.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(_scalar);
        _key.Dispose();
    }

    /// <summary>Imports and validates an uncompressed P-256 point as a public-only key.</summary>
    internal static ECDiffieHellman ImportPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeySize || publicKey[0] != 0x04)
        {
            throw new CryptographicException($"a P-256 public key is a {PublicKeySize}-byte uncompressed point");
        }

        var key = ECDiffieHellman.Create();
        try
        {
            // ImportParameters validates that the point lies on the curve (OpenSSL EC_KEY_check_key).
            key.ImportParameters(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = publicKey.Slice(1, 32).ToArray(), Y = publicKey.Slice(33, 32).ToArray() },
            });
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
