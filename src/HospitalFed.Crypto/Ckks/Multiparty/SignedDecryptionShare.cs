using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// A decryption share for one chunk of one aggregate, signed by the site that made it and bound
/// to plan, round, sender, recipient (the aggregator), the aggregate's digest and the chunk
/// index: a share for another ciphertext, chunk or round fails verification.
/// </summary>
/// <param name="Sender">The site's consortium name.</param>
/// <param name="AggregateDigest">The <see cref="Multiparty.AggregateDigest"/> of the aggregate being decrypted.</param>
/// <param name="ChunkIndex">Which ciphertext of the aggregate vector the share is for.</param>
/// <param name="Share">The serialised <see cref="DecryptionShare"/>.</param>
/// <param name="Signature">ECDSA P-256 over purpose, binding, digest, chunk index and share.</param>
public sealed record SignedDecryptionShare(string Sender, byte[] AggregateDigest, long ChunkIndex, byte[] Share, byte[] Signature)
{
    /// <summary>The signature purpose label.</summary>
    public const string Purpose = "ckks/decryption-share";

    /// <summary>Signs <paramref name="share"/> for chunk <paramref name="chunkIndex"/> of the aggregate with <paramref name="aggregateDigest"/>.</summary>
    public static SignedDecryptionShare Create(SigningIdentity site, MessageBinding binding, ReadOnlySpan<byte> aggregateDigest, long chunkIndex, DecryptionShare share)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(share);
        var bytes = share.ToBytes();
        var signature = site.Sign(Purpose, binding, Header(aggregateDigest, chunkIndex), bytes);
        return new SignedDecryptionShare(site.Name, aggregateDigest.ToArray(), chunkIndex, bytes, signature);
    }

    /// <summary>
    /// Verifies the signer (chain, role Site, name = sender), that the share is for the expected
    /// aggregate and chunk, and the signature under <paramref name="expected"/>; returns the parsed share.
    /// </summary>
    /// <exception cref="IdentityException">The certificate or signature is refused, or the share is for another aggregate or chunk.</exception>
    /// <exception cref="FormatException">The share bytes are malformed.</exception>
    public DecryptionShare Verify(
        CkksContext context,
        ConsortiumTrust trust,
        X509Certificate2 signer,
        MessageBinding expected,
        ReadOnlySpan<byte> expectedAggregateDigest,
        long expectedChunkIndex,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trust);
        CheckBinding(expected, expectedAggregateDigest, expectedChunkIndex);
        trust.Validate(signer, ConsortiumRole.Site, at, expected.Sender);
        if (!ConsortiumTrust.VerifyWithKey(signer, Purpose, expected, Header(AggregateDigest, ChunkIndex), Share, Signature))
        {
            throw new IdentityException($"signature by '{Sender}' on '{Purpose}' for plan {expected.PlanId} round {expected.Round} to '{expected.Recipient}' is invalid");
        }

        return DecryptionShare.Parse(context, Share);
    }

    /// <summary>
    /// Verifies one site's shares for every chunk of an aggregate, in chunk order, as
    /// <see cref="Verify"/> does each, but validates the signer's certificate chain once for the
    /// batch (it is the same certificate at the same instant) instead of once per chunk.
    /// </summary>
    /// <exception cref="IdentityException">The certificate or a signature is refused, or a share is for another sender, aggregate or chunk.</exception>
    /// <exception cref="FormatException">Share bytes are malformed.</exception>
    public static DecryptionShare[] VerifyAll(
        CkksContext context,
        ConsortiumTrust trust,
        X509Certificate2 signer,
        MessageBinding expected,
        ReadOnlySpan<byte> expectedAggregateDigest,
        IReadOnlyList<SignedDecryptionShare> shares,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(shares);
        trust.Validate(signer, ConsortiumRole.Site, at, expected.Sender);
        var parsed = new DecryptionShare[shares.Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            var share = shares[i];
            share.CheckBinding(expected, expectedAggregateDigest, i);
            if (!ConsortiumTrust.VerifyWithKey(signer, Purpose, expected, Header(share.AggregateDigest, share.ChunkIndex), share.Share, share.Signature))
            {
                throw new IdentityException($"signature by '{share.Sender}' on '{Purpose}' for plan {expected.PlanId} round {expected.Round} to '{expected.Recipient}' is invalid (chunk {i})");
            }

            parsed[i] = DecryptionShare.Parse(context, share.Share);
        }

        return parsed;
    }

    private void CheckBinding(MessageBinding expected, ReadOnlySpan<byte> expectedAggregateDigest, long expectedChunkIndex)
    {
        if (!string.Equals(expected.Sender, Sender, StringComparison.Ordinal))
        {
            throw new IdentityException($"decryption share from '{Sender}' presented as coming from '{expected.Sender}'");
        }

        if (!CryptographicOperations.FixedTimeEquals(AggregateDigest, expectedAggregateDigest) || ChunkIndex != expectedChunkIndex)
        {
            throw new IdentityException($"decryption share from '{Sender}' is for another aggregate or chunk (chunk {ChunkIndex}, expected {expectedChunkIndex})");
        }
    }

    // The signed payload is this header (digest, chunk index) followed by the share's bytes.
    private static byte[] Header(ReadOnlySpan<byte> digest, long chunkIndex)
    {
        var header = new byte[digest.Length + 8];
        digest.CopyTo(header);
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(digest.Length), chunkIndex);
        return header;
    }
}
