using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// The SHA-256 digests CKKS messages are signed against: a site's upload
/// (<see cref="ComputeContribution(CkksContext, IEnumerable{ReadOnlyMemory{byte}})"/>) and the
/// aggregate a decryption share is for (<see cref="ComputeSplit(IReadOnlyList{ReadOnlyMemory{byte}}, IReadOnlyList{ReadOnlyMemory{byte}})"/>),
/// each under its own domain label, so a share made for one aggregate is useless for any other.
/// </summary>
public static class AggregateDigest
{
    /// <summary>Size of a digest in bytes.</summary>
    public const int Size = 32;

    private static ReadOnlySpan<byte> SplitLabel => "hfed/ckks/aggregate-split/v1"u8;

    private static ReadOnlySpan<byte> ContributionLabel => "hfed/ckks/contribution/v2"u8;

    /// <summary>
    /// The digest decryption shares are bound to: SHA-256 over a label, then per chunk the SHA-256
    /// of the fully serialised ciphertext (<see cref="HashCiphertext"/>) and the SHA-256 of its serialised mask (c1, see
    /// <see cref="CkksSerializer.SerializeMask"/>), then the chunk count. A share maker is sent
    /// the masks and the ciphertext hashes only: it hashes the masks it multiplies by its secret
    /// itself, and the ciphertext hashes still bind the exact aggregate (c0 and c1) that is decoded.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, or a ciphertext hash is not 32 bytes.</exception>
    public static byte[] ComputeSplit(IReadOnlyList<ReadOnlyMemory<byte>> ciphertextHashes, IReadOnlyList<ReadOnlyMemory<byte>> masks) =>
        HashPairs(SplitLabel, ciphertextHashes, masks, "ciphertext hash", "masks");

    /// <summary><see cref="ComputeSplit(IReadOnlyList{ReadOnlyMemory{byte}}, IReadOnlyList{ReadOnlyMemory{byte}})"/> of ciphertexts (an auditor's or a test's view).</summary>
    public static byte[] ComputeSplit(IReadOnlyList<CkksCiphertext> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return ComputeSplit(
            [.. chunks.Select(c => (ReadOnlyMemory<byte>)HashCiphertext(c))],
            [.. chunks.Select(c => (ReadOnlyMemory<byte>)CkksSerializer.SerializeMask(c))]);
    }

    /// <summary>
    /// The per-chunk hash of <see cref="ComputeSplit(IReadOnlyList{ReadOnlyMemory{byte}}, IReadOnlyList{ReadOnlyMemory{byte}})"/>:
    /// SHA-256 of the ciphertext's full serialisation (<see cref="CkksObjectKind.Ciphertext"/>, every
    /// residue of c0 and c1 exactly, even where the parameters would send it compressed), so it binds
    /// the very aggregate that is decoded, and costs one pass over the bits, no transform.
    /// </summary>
    public static byte[] HashCiphertext(CkksCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var context = ciphertext.Context;
        var size = CkksWireFormat.Size(context, context.Width + 1, context.CiphertextPrimeCount, false);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            CkksWireFormat.Write(context, CkksObjectKind.Ciphertext, [], ciphertext.Data, context.CiphertextPrimeCount, buffer);
            return SHA256.HashData(buffer.AsSpan(0, size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The digest a site signs over its upload (its <see cref="SignedContribution"/>): a label, then
    /// per chunk the SHA-256 of the chunk's bytes before its c1 section and the SHA-256 of the c1
    /// section itself (<see cref="SplitChunk"/>), then the chunk count. It binds the upload's exact
    /// bytes (which are canonical: parsing and writing again gives the same bytes), and lets a
    /// decryptor that is given only each contributor's c1 sections and head hashes recompute it
    /// (<see cref="ComputeContribution(IReadOnlyList{ReadOnlyMemory{byte}}, IReadOnlyList{ReadOnlyMemory{byte}})"/>).
    /// </summary>
    /// <exception cref="FormatException">A chunk is not a public-key ciphertext of <paramref name="context"/>.</exception>
    public static byte[] ComputeContribution(CkksContext context, IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chunks);
        var heads = new List<ReadOnlyMemory<byte>>();
        var masks = new List<ReadOnlyMemory<byte>>();
        foreach (var chunk in chunks)
        {
            var (head, mask) = SplitChunk(context, chunk);
            heads.Add(head);
            masks.Add(mask);
        }

        return ComputeContribution(heads, masks);
    }

    /// <summary>The contribution digest from each chunk's head hash and c1 section.</summary>
    /// <exception cref="ArgumentException">The lists differ in length, or a head hash is not 32 bytes.</exception>
    public static byte[] ComputeContribution(IReadOnlyList<ReadOnlyMemory<byte>> headHashes, IReadOnlyList<ReadOnlyMemory<byte>> maskSections) =>
        HashPairs(ContributionLabel, headHashes, maskSections, "head hash", "c1 sections");

    /// <summary>
    /// Splits a serialised public-key ciphertext (full or compressed) into the SHA-256 of everything
    /// before its c1 section (header and c0) and the c1 section: c1's residues bit-packed, ending the
    /// chunk, readable with <see cref="CkksSerializer.ReadMaskSection"/>.
    /// </summary>
    /// <exception cref="FormatException">Not a public-key ciphertext of <paramref name="context"/> of the exact length.</exception>
    public static (byte[] HeadHash, ReadOnlyMemory<byte> MaskSection) SplitChunk(CkksContext context, ReadOnlyMemory<byte> chunk)
    {
        ArgumentNullException.ThrowIfNull(context);
        var offset = CkksSerializer.MaskSectionOffset(context, chunk.Span);
        return (SHA256.HashData(chunk.Span[..offset]), chunk[offset..]);
    }

    // label, then per chunk a given 32-byte hash and the SHA-256 of the chunk's mask bytes, then the count
    private static byte[] HashPairs(ReadOnlySpan<byte> label, IReadOnlyList<ReadOnlyMemory<byte>> hashes, IReadOnlyList<ReadOnlyMemory<byte>> masks, string hashName, string masksName)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(masks);
        if (hashes.Count != masks.Count)
        {
            throw new ArgumentException($"{hashes.Count} {hashName}es for {masks.Count} {masksName}", nameof(masks));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(label);
        Span<byte> maskHash = stackalloc byte[Size];
        for (var i = 0; i < masks.Count; i++)
        {
            if (hashes[i].Length != Size)
            {
                throw new ArgumentException($"{hashName} {i} has {hashes[i].Length} bytes; {Size} expected", nameof(hashes));
            }

            hash.AppendData(hashes[i].Span);
            SHA256.HashData(masks[i].Span, maskHash);
            hash.AppendData(maskHash);
        }

        return Finish(hash, masks.Count);
    }

    private static byte[] Finish(IncrementalHash hash, long count)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(length, count);
        hash.AppendData(length);
        return hash.GetHashAndReset();
    }
}
