using HospitalFed.Ledger.Log.Merkle;

namespace HospitalFed.Ledger.Tests.Merkle;

public sealed class MerkleTreeTests
{
    // The leaves and roots of the certificate-transparency reference test vectors
    // (RFC 6962 tree; leaf and node hashes as in RFC 9162 section 2.1.1).
    private static readonly string[] Leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static MerkleTree VectorTree() => new(Leaves.Select(l => MerkleHash.Leaf(Convert.FromHexString(l))));

    [Test]
    public void Root_ReferenceVectors_MatchEverySize()
    {
        var tree = VectorTree();

        for (var size = 1; size <= Leaves.Length; size++)
        {
            Assert.That(Convert.ToHexStringLower(tree.Root(size)), Is.EqualTo(Roots[size - 1]), $"size {size}");
        }
    }

    [Test]
    public void Root_EmptyTree_IsSha256OfNothing()
    {
        var tree = new MerkleTree([]);

        Assert.That(Convert.ToHexStringLower(tree.Root(0)), Is.EqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    [Test]
    public void Frontier_AppendingLeaves_MatchesTreeRootAtEverySize()
    {
        var leaves = Enumerable.Range(0, 70).Select(i => MerkleHash.Leaf([(byte)i, (byte)(i >> 8)])).ToArray();
        var tree = new MerkleTree(leaves);
        var frontier = new MerkleFrontier();

        for (var i = 0; i < leaves.Length; i++)
        {
            Assert.That(frontier.Root(), Is.EqualTo(tree.Root(i)), $"size {i}");
            frontier.Append(leaves[i]);
        }

        Assert.That(frontier.Root(), Is.EqualTo(tree.Root(leaves.Length)));
    }

    [Test]
    public void InclusionProof_EveryLeafOfEverySize_Verifies()
    {
        var leaves = Enumerable.Range(0, 33).Select(i => MerkleHash.Leaf([(byte)i])).ToArray();
        var tree = new MerkleTree(leaves);

        for (var size = 1; size <= leaves.Length; size++)
        {
            var root = tree.Root(size);
            for (var index = 0; index < size; index++)
            {
                var proof = tree.InclusionProof(index, size);
                Assert.That(MerkleProof.VerifyInclusion(index, size, leaves[index], proof, root), Is.True, $"leaf {index} of {size}");
            }
        }
    }

    [Test]
    public void InclusionProof_WrongLeafIndexOrFlippedHash_IsRejected()
    {
        var leaves = Enumerable.Range(0, 13).Select(i => MerkleHash.Leaf([(byte)i])).ToArray();
        var tree = new MerkleTree(leaves);
        var root = tree.Root(13);
        var proof = tree.InclusionProof(5, 13);

        var flipped = proof.Select(p => p.ToArray()).ToList();
        flipped[1][7] ^= 0x01;

        Assert.Multiple(() =>
        {
            Assert.That(MerkleProof.VerifyInclusion(5, 13, leaves[6], proof, root), Is.False);
            Assert.That(MerkleProof.VerifyInclusion(6, 13, leaves[5], proof, root), Is.False);
            Assert.That(MerkleProof.VerifyInclusion(5, 13, leaves[5], flipped, root), Is.False);
            Assert.That(MerkleProof.VerifyInclusion(5, 13, leaves[5], proof.Take(proof.Count - 1).ToList(), root), Is.False);
        });
    }

    [Test]
    public void ConsistencyProof_EveryPairOfSizes_Verifies()
    {
        var leaves = Enumerable.Range(0, 33).Select(i => MerkleHash.Leaf([(byte)i])).ToArray();
        var tree = new MerkleTree(leaves);

        for (var newSize = 1; newSize <= leaves.Length; newSize++)
        {
            for (var oldSize = 1; oldSize <= newSize; oldSize++)
            {
                var proof = tree.ConsistencyProof(oldSize, newSize);
                Assert.That(MerkleProof.VerifyConsistency(oldSize, newSize, tree.Root(oldSize), tree.Root(newSize), proof), Is.True, $"{oldSize} -> {newSize}");
            }
        }
    }

    [Test]
    public void ConsistencyProof_ForkedHistory_IsRejected()
    {
        var leaves = Enumerable.Range(0, 20).Select(i => MerkleHash.Leaf([(byte)i])).ToArray();
        var tree = new MerkleTree(leaves);
        var forkedLeaves = leaves.ToArray();
        forkedLeaves[3] = MerkleHash.Leaf([0xFF]);
        var fork = new MerkleTree(forkedLeaves);

        var proof = fork.ConsistencyProof(7, 20);

        Assert.That(MerkleProof.VerifyConsistency(7, 20, tree.Root(7), fork.Root(20), proof), Is.False);
    }

    [Test]
    public void Hashes_LeafAndNode_AreDomainSeparated()
    {
        var left = MerkleHash.Leaf([1]);
        var right = MerkleHash.Leaf([2]);

        var node = MerkleHash.Node(left, right);
        var leafOfConcatenation = MerkleHash.Leaf([.. left, .. right]);

        Assert.That(node, Is.Not.EqualTo(leafOfConcatenation));
    }
}
