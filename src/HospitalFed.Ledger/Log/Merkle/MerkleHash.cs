using System.Security.Cryptography;

namespace HospitalFed.Ledger.Log.Merkle;

/// <summary>
/// The hashes of RFC 9162 section 2.1.1 (identical to RFC 6962 section 2.1): SHA-256 with a
/// one-byte domain separator, 0x00 for leaves and 0x01 for interior nodes, so that a leaf can
/// never be passed off as an interior node (second-preimage resistance of the tree).
/// </summary>
public static class MerkleHash
{
    /// <summary>The size in bytes of every hash.</summary>
    public const int Size = 32;

    /// <summary>MTH({}) = SHA-256() (RFC 9162 section 2.1.1).</summary>
    public static byte[] Empty() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>MTH({d}) = SHA-256(0x00 || d).</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        hash.AppendData(data);
        return hash.GetHashAndReset();
    }

    /// <summary>SHA-256(0x01 || left || right).</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[1 + (2 * Size)];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        return SHA256.HashData(input);
    }
}
