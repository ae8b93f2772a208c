namespace HospitalFed.Ledger.Log.Merkle;

/// <summary>
/// Appends leaves one at a time and yields the RFC 9162 tree head of the current size in
/// O(log n) time and memory. Holds the roots of the perfect subtrees that make up the tree
/// (one per set bit of the size, largest first); folding them from the right reproduces the
/// recursive definition of section 2.1.1, whose split point is the largest power of two
/// below n.
/// </summary>
public sealed class MerkleFrontier
{
    private readonly List<(byte[] Hash, long Size)> _subtrees = [];

    /// <summary>The number of leaves appended so far.</summary>
    public long Size { get; private set; }

    /// <summary>Appends the hash of one leaf (already computed with <see cref="MerkleHash.Leaf"/>).</summary>
    public void Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        var hash = leafHash;
        long size = 1;
        while (_subtrees.Count > 0 && _subtrees[^1].Size == size)
        {
            hash = MerkleHash.Node(_subtrees[^1].Hash, hash);
            size *= 2;
            _subtrees.RemoveAt(_subtrees.Count - 1);
        }

        _subtrees.Add((hash, size));
        Size++;
    }

    /// <summary>The root hash of the tree over every leaf appended so far.</summary>
    public byte[] Root()
    {
        if (_subtrees.Count == 0)
        {
            return MerkleHash.Empty();
        }

        var hash = _subtrees[^1].Hash;
        for (var i = _subtrees.Count - 2; i >= 0; i--)
        {
            hash = MerkleHash.Node(_subtrees[i].Hash, hash);
        }

        return hash;
    }
}
