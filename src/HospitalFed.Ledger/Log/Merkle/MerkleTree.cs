namespace HospitalFed.Ledger.Log.Merkle;

/// <summary>
/// A Merkle tree over a list of leaf hashes (RFC 9162 section 2.1): roots of any prefix,
/// inclusion proofs (section 2.1.3.1) and consistency proofs (section 2.1.4.1). Pure
/// computation over the leaf hashes it is given; verification lives in <see cref="MerkleProof"/>.
/// </summary>
public sealed class MerkleTree
{
    private readonly List<byte[]> _leaves;

    /// <summary>Creates the tree over <paramref name="leafHashes"/>, in order.</summary>
    public MerkleTree(IEnumerable<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        _leaves = [.. leafHashes];
        if (_leaves.Any(h => h is null || h.Length != MerkleHash.Size))
        {
            throw new ArgumentException($"every leaf hash must be {MerkleHash.Size} bytes", nameof(leafHashes));
        }
    }

    /// <summary>The number of leaves.</summary>
    public long Size => _leaves.Count;

    /// <summary>Appends one leaf hash.</summary>
    public void Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"a leaf hash is {MerkleHash.Size} bytes", nameof(leafHash));
        }

        _leaves.Add(leafHash);
    }

    /// <summary>MTH of the first <paramref name="size"/> leaves.</summary>
    public byte[] Root(long size)
    {
        CheckSize(size, nameof(size));
        return size == 0 ? MerkleHash.Empty() : Subtree(0, (int)size);
    }

    /// <summary>PATH(m, D[0:n]): the audit path proving leaf <paramref name="index"/> is in the tree of size <paramref name="size"/>.</summary>
    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        CheckSize(size, nameof(size));
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"leaf index must be below the tree size {size}");
        }

        var proof = new List<byte[]>();
        Path((int)index, 0, (int)size, proof);
        return proof;
    }

    /// <summary>PROOF(m, D[0:n]): proves the tree of size <paramref name="oldSize"/> is a prefix of the tree of size <paramref name="newSize"/>.</summary>
    public IReadOnlyList<byte[]> ConsistencyProof(long oldSize, long newSize)
    {
        CheckSize(newSize, nameof(newSize));
        if (oldSize < 0 || oldSize > newSize)
        {
            throw new ArgumentOutOfRangeException(nameof(oldSize), oldSize, $"the old size must be between 0 and {newSize}");
        }

        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < newSize)
        {
            SubProof((int)oldSize, 0, (int)newSize, true, proof);
        }

        return proof;
    }

    private void CheckSize(long size, string name)
    {
        if (size < 0 || size > _leaves.Count)
        {
            throw new ArgumentOutOfRangeException(name, size, $"the tree holds {_leaves.Count} leaves");
        }
    }

    // MTH(D[start:start+n]) per section 2.1.1.
    private byte[] Subtree(int start, int n)
    {
        if (n == 1)
        {
            return _leaves[start];
        }

        var k = LargestPowerOfTwoBelow(n);
        return MerkleHash.Node(Subtree(start, k), Subtree(start + k, n - k));
    }

    // Section 2.1.3.1: PATH(m, D[n]).
    private void Path(int m, int start, int n, List<byte[]> proof)
    {
        if (n == 1)
        {
            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(m, start, k, proof);
            proof.Add(Subtree(start + k, n - k));
        }
        else
        {
            Path(m - k, start + k, n - k, proof);
            proof.Add(Subtree(start, k));
        }
    }

    // Section 2.1.4.1: SUBPROOF(m, D[n], b).
    private void SubProof(int m, int start, int n, bool complete, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(Subtree(start, n));
            }

            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(m, start, k, complete, proof);
            proof.Add(Subtree(start + k, n - k));
        }
        else
        {
            SubProof(m - k, start + k, n - k, false, proof);
            proof.Add(Subtree(start, k));
        }
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n &gt; 1).</summary>
    internal static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
