using System.Security.Cryptography;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Primitives;

/// <summary>
/// AES-256-GCM sealing of Shamir shares between two sites (Bonawitz et al. 2017, round
/// ShareKeys: "AE.enc(KA.agree(c_u^SK, c_v^PK), u || v || shares)"). The additional data binds
/// plan, round, sender and recipient, so a ciphertext the aggregator replays into another
/// round or redirects to another site fails authentication.
/// </summary>
public static class ShareSealer
{
    /// <summary>The GCM nonce size (NIST SP 800-38D section 8.2: 96-bit IVs).</summary>
    public const int NonceSize = 12;

    /// <summary>The GCM tag size.</summary>
    public const int TagSize = 16;

    /// <summary>Seals <paramref name="plaintext"/> under <paramref name="key"/> for <paramref name="binding"/>.</summary>
    /// <returns>The random nonce and the ciphertext followed by its tag.</returns>
    public static (byte[] Nonce, byte[] Ciphertext) Seal(ReadOnlySpan<byte> key, MessageBinding binding, ReadOnlySpan<byte> plaintext, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ValidateKey(key);

        // Random 96-bit nonces: each key seals one message (the key is per round, pair and
        // direction), so a nonce never repeats under a key; the randomness is defence in depth.
        var nonce = new byte[NonceSize];
        random.GetBytes(nonce);
        var output = new byte[plaintext.Length + TagSize];
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), ContextEncoding.Encode(HkdfLabels.ShareAad, binding));
        return (nonce, output);
    }

    /// <summary>Opens a ciphertext sealed by <see cref="Seal"/> for the same key and binding.</summary>
    /// <exception cref="AuthenticationTagMismatchException">The ciphertext, nonce, tag, key or binding does not match.</exception>
    /// <exception cref="ArgumentException">The nonce or ciphertext has the wrong size.</exception>
    public static byte[] Open(ReadOnlySpan<byte> key, MessageBinding binding, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext)
    {
        ValidateKey(key);
        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"a share nonce is {NonceSize} bytes; got {nonce.Length}", nameof(nonce));
        }

        if (ciphertext.Length < TagSize)
        {
            throw new ArgumentException($"a sealed share holds at least the {TagSize}-byte tag; got {ciphertext.Length} bytes", nameof(ciphertext));
        }

        var length = ciphertext.Length - TagSize;
        var plaintext = new byte[length];
        using var gcm = new AesGcm(key, TagSize);
        try
        {
            gcm.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext, ContextEncoding.Encode(HkdfLabels.ShareAad, binding));
        }
        catch (CryptographicException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw;
        }

        return plaintext;
    }

    private static void ValidateKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != SecAggKeyDerivation.ShareKeySize)
        {
            throw new ArgumentException($"a share key is {SecAggKeyDerivation.ShareKeySize} bytes; got {key.Length}", nameof(key));
        }
    }
}
