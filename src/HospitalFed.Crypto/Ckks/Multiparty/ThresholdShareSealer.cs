using System.Security.Cryptography;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// Seals a <see cref="ThresholdKeyShare"/> for its recipient: AES-256-GCM under
/// HKDF-SHA256(ECDH P-256 shared secret, info = "hfed/ckks/threshold-share" + binding)
/// (RFC 5869 §2; NIST SP 800-56A Rev. 3 §5.7.1.2), with the signing transcript of the binding
/// (plan, round, sender, recipient) and the recipient's point as associated data, so a sealed
/// share opens only for that recipient, plan, round and point. The ECDH keys must be
/// authenticated by the caller (e.g. advertised under the parties' signing identities).
/// </summary>
public static class ThresholdShareSealer
{
    private const string Purpose = "ckks/threshold-share";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Info = "hfed/ckks/threshold-share"u8.ToArray();

    /// <summary>Seals <paramref name="share"/> from <paramref name="senderKey"/> to <paramref name="recipientKey"/>.</summary>
    public static byte[] Seal(ThresholdKeyShare share, ECDiffieHellman senderKey, ECDiffieHellmanPublicKey recipientKey, MessageBinding binding)
    {
        ArgumentNullException.ThrowIfNull(share);
        ArgumentNullException.ThrowIfNull(senderKey);
        ArgumentNullException.ThrowIfNull(recipientKey);
        var plaintext = share.ToBytes();
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var key = DeriveKey(senderKey, recipientKey, binding);
        try
        {
            using var gcm = new AesGcm(key, TagSize);
            gcm.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), AssociatedData(binding, share.RecipientPoint));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }

        return sealedBytes;
    }

    /// <summary>Opens a sealed share addressed to the party at <paramref name="recipientPoint"/>.</summary>
    /// <exception cref="CryptographicException">Authentication failed: wrong keys, binding, point, or tampered bytes.</exception>
    /// <exception cref="FormatException">The opened bytes are not a threshold key share of this context.</exception>
    public static ThresholdKeyShare Open(CkksContext context, ReadOnlySpan<byte> sealedShare, ECDiffieHellman recipientKey, ECDiffieHellmanPublicKey senderKey, MessageBinding binding, int recipientPoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipientKey);
        ArgumentNullException.ThrowIfNull(senderKey);
        if (sealedShare.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("sealed threshold share is truncated");
        }

        var length = sealedShare.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        var key = DeriveKey(recipientKey, senderKey, binding);
        try
        {
            using var gcm = new AesGcm(key, TagSize);
            gcm.Decrypt(sealedShare[..NonceSize], sealedShare.Slice(NonceSize, length), sealedShare[(NonceSize + length)..], plaintext, AssociatedData(binding, recipientPoint));
            return ThresholdKeyShare.Parse(context, recipientPoint, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] DeriveKey(ECDiffieHellman own, ECDiffieHellmanPublicKey other, MessageBinding binding)
    {
        var secret = own.DeriveRawSecretAgreement(other);
        try
        {
            // sender and recipient both derive with the same binding, so the key is direction-bound
            var info = SigningTranscript.Encode(Purpose, binding, Info);
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: info);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static byte[] AssociatedData(MessageBinding binding, int recipientPoint) =>
        SigningTranscript.Encode(Purpose, binding, BitConverter.GetBytes(recipientPoint));
}
