namespace HospitalFed.Ledger.Log.Merkle;

/// <summary>
/// A Merkle tree over a list of leaf hashes (RFC 9162 section 2.1): roots of any prefix,
/// inclusion proofs (section 2.1.3.1) and consistency proofs (section 2.1.4.1). Pure
/// computation over the leaf hashes it is given; verification lives in <see cref="MerkleProof"/>.
/// Every perfect subtree (2^h leaves starting at a multiple of 2^h) is hashed once, as the leaves
/// that complete it arrive, and kept: any MTH the RFC's recursion asks for splits into O(log n) of
/// them, so a root costs O(log n) hashes and a proof O(log^2 n) however long the log grows, at
/// about twice the leaves' memory.
/// </summary>
public sealed class MerkleTree
{
    /// <summary>_levels[h][i] is MTH of leaves [i * 2^h, (i + 1) * 2^h); level 0 holds the leaves.</summary>
    private readonly List<List<byte[]>> _levels = [];

    /// <summary>Creates the tree over <paramref name="leafHashes"/>, in order.</summary>
    public MerkleTree(IEnumerable<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        _levels.Add([]);
        foreach (var leaf in leafHashes)
        {
            if (leaf is null || leaf.Length != MerkleHash.Size)
            {
                throw new ArgumentException($"every leaf hash must be {MerkleHash.Size} bytes", nameof(leafHashes));
            }

            Add(leaf);
        }
    }

    /// <summary>The number of leaves.</summary>
    public long Size => _levels[0].Count;

    /// <summary>Appends one leaf hash.</summary>
    public void Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"a leaf hash is {MerkleHash.Size} bytes", nameof(leafHash));
        }

        Add(leafHash);
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

    /// <summary>Adds a leaf and hashes every perfect subtree it completes (one per trailing set bit of the new size).</summary>
    private void Add(byte[] leafHash)
    {
        _levels[0].Add(leafHash);
        var index = _levels[0].Count - 1;
        for (var level = 0; (index & 1) == 1; level++, index >>= 1)
        {
            if (_levels.Count == level + 1)
            {
                _levels.Add([]);
            }

            var below = _levels[level];
            _levels[level + 1].Add(MerkleHash.Node(below[index - 1], below[index]));
        }
    }

    private void CheckSize(long size, string name)
    {
        if (size < 0 || size > Size)
        {
            throw new ArgumentOutOfRangeException(name, size, $"the tree holds {Size} leaves");
        }
    }

    // MTH(D[start:start+n]) per section 2.1.1. The recursion always splits at a power of two, so
    // every range it meets is either a kept perfect subtree or has one as its left part.
    private byte[] Subtree(int start, int n)
    {
        if (int.IsPow2(n) && start % n == 0)
        {
            return _levels[System.Numerics.BitOperations.Log2((uint)n)][start / n];
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
