using HospitalFed.Ledger.Log.Merkle;

namespace HospitalFed.Ledger.Tests.Merkle;

/// <summary>
/// RFC 9162 section 2.1 written out literally over a list of leaf hashes, with nothing cached:
/// MTH (2.1.1), PATH (2.1.3.1) and PROOF/SUBPROOF (2.1.4.1). The reference the cached
/// <see cref="MerkleTree"/> must agree with.
/// </summary>
internal static class ReferenceMerkle
{
    public static byte[] Mth(IReadOnlyList<byte[]> d, int start, int n)
    {
        if (n == 0)
        {
            return MerkleHash.Empty();
        }

        if (n == 1)
        {
            return d[start];
        }

        var k = Split(n);
        return MerkleHash.Node(Mth(d, start, k), Mth(d, start + k, n - k));
    }

    public static List<byte[]> Path(IReadOnlyList<byte[]> d, int m, int start, int n)
    {
        if (n == 1)
        {
            return [];
        }

        var k = Split(n);
        if (m < k)
        {
            return [.. Path(d, m, start, k), Mth(d, start + k, n - k)];
        }

        return [.. Path(d, m - k, start + k, n - k), Mth(d, start, k)];
    }

    public static List<byte[]> Proof(IReadOnlyList<byte[]> d, int m, int n) => SubProof(d, m, 0, n, true);

    private static List<byte[]> SubProof(IReadOnlyList<byte[]> d, int m, int start, int n, bool b)
    {
        if (m == n)
        {
            return b ? [] : [Mth(d, start, n)];
        }

        var k = Split(n);
        if (m <= k)
        {
            return [.. SubProof(d, m, start, k, b), Mth(d, start + k, n - k)];
        }

        return [.. SubProof(d, m - k, start + k, n - k, false), Mth(d, start, k)];
    }

    // The largest power of two smaller than n (n > 1).
    private static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
