using HospitalFed.Ledger.Log.Merkle;

namespace HospitalFed.Ledger.Tests.Merkle;

/// <summary>
/// <see cref="MerkleTree"/> keeps every perfect subtree it has hashed; these tests hold its roots and
/// proofs to <see cref="ReferenceMerkle"/>, which recomputes everything from the leaves, at every
/// size and while leaves are appended one by one.
/// </summary>
public sealed class MerkleTreeCacheTests
{
    private const int Size = 300;

    private static readonly byte[][] Leaves = [.. Enumerable.Range(0, Size).Select(i => MerkleHash.Leaf([(byte)i, (byte)(i >> 8), 0x5A]))];

    [Test]
    public void Root_EverySizeUpTo300_EqualsUncachedReference()
    {
        var tree = new MerkleTree(Leaves);

        for (var size = 0; size <= Size; size++)
        {
            Assert.That(tree.Root(size), Is.EqualTo(ReferenceMerkle.Mth(Leaves, 0, size)), $"size {size}");
        }
    }

    [Test]
    public void Append_OneLeafAtATime_EveryEarlierRootStillEqualsReference()
    {
        var tree = new MerkleTree([]);
        var reference = new List<byte[]>();
        var roots = new List<byte[]> { MerkleHash.Empty() };

        foreach (var leaf in Leaves)
        {
            tree.Append(leaf);
            reference.Add(leaf);
            roots.Add(ReferenceMerkle.Mth(reference, 0, reference.Count));

            // The newest root, and a spread of earlier ones (the cache must not disturb them).
            for (var size = reference.Count; size >= 0; size -= 1 + (size / 4))
            {
                Assert.That(tree.Root(size), Is.EqualTo(roots[size]), $"root of {size} after {reference.Count} appends");
            }
        }

        Assert.That(tree.Size, Is.EqualTo(Size));
    }

    [Test]
    public void InclusionProof_EveryLeafOfEverySizeUpTo160_EqualsUncachedReference()
    {
        const int n = 160;
        var leaves = Leaves[..n];
        var tree = new MerkleTree(leaves);

        for (var size = 1; size <= n; size++)
        {
            for (var index = 0; index < size; index++)
            {
                Assert.That(tree.InclusionProof(index, size), Is.EqualTo(ReferenceMerkle.Path(leaves, index, 0, size)), $"leaf {index} of {size}");
            }
        }
    }

    [Test]
    public void ConsistencyProof_EveryPairOfSizesUpTo130_EqualsUncachedReference()
    {
        const int n = 130;
        var leaves = Leaves[..n];
        var tree = new MerkleTree(leaves);

        for (var newSize = 1; newSize <= n; newSize++)
        {
            for (var oldSize = 1; oldSize <= newSize; oldSize++)
            {
                Assert.That(tree.ConsistencyProof(oldSize, newSize), Is.EqualTo(ReferenceMerkle.Proof(leaves, oldSize, newSize)), $"{oldSize} -> {newSize}");
            }
        }
    }

    [Test]
    public void Proofs_AfterEachAppend_EqualReferenceAndVerify()
    {
        var tree = new MerkleTree([]);
        var reference = new List<byte[]>();

        for (var i = 0; i < Size; i++)
        {
            tree.Append(Leaves[i]);
            reference.Add(Leaves[i]);
            var size = reference.Count;
            var root = ReferenceMerkle.Mth(reference, 0, size);
            foreach (var index in new[] { 0, size / 3, size - 1 })
            {
                var inclusion = tree.InclusionProof(index, size);
                Assert.That(inclusion, Is.EqualTo(ReferenceMerkle.Path(reference, index, 0, size)), $"leaf {index} of {size}");
                Assert.That(MerkleProof.VerifyInclusion(index, size, reference[index], inclusion, root), Is.True, $"leaf {index} of {size}");
            }

            var oldSize = Math.Max(1, size / 2 + 1);
            var consistency = tree.ConsistencyProof(oldSize, size);
            Assert.That(consistency, Is.EqualTo(ReferenceMerkle.Proof(reference, oldSize, size)), $"{oldSize} -> {size}");
            Assert.That(MerkleProof.VerifyConsistency(oldSize, size, ReferenceMerkle.Mth(reference, 0, oldSize), root, consistency), Is.True, $"{oldSize} -> {size}");
        }
    }
}
