using HospitalFed.Crypto.SecAgg;

namespace HospitalFed.Crypto.Tests.SecAgg;

public sealed class NeighbourGraphTests
{
    [TestCase(50, 10)]
    [TestCase(12, 4)]
    [TestCase(7, 2)]
    public void Harary_IsKRegularAndSymmetric(int n, int k)
    {
        var graph = NeighbourGraph.Harary(n, k, "plan", 3);

        for (var i = 0; i < n; i++)
        {
            Assert.That(graph.NeighboursOf(i), Has.Count.EqualTo(k).And.Not.Contains(i).And.Ordered);
            Assert.That(graph.NeighboursOf(i).All(j => graph.AreNeighbours(j, i)), Is.True);
            Assert.That(graph.HoldersOf(i), Has.Count.EqualTo(k + 1).And.Contains(i));
        }
    }

    [Test]
    public void Harary_SamePlanAndRound_IsTheSameGraph_OtherRoundDiffers()
    {
        var a = NeighbourGraph.Harary(50, 10, "plan", 3);
        var b = NeighbourGraph.Harary(50, 10, "plan", 3);
        var c = NeighbourGraph.Harary(50, 10, "plan", 4);

        var edges = (NeighbourGraph g) => Enumerable.Range(0, 50).SelectMany(i => g.NeighboursOf(i).Select(j => (i, j))).ToArray();
        Assert.That(edges(b), Is.EqualTo(edges(a)));
        Assert.That(edges(c), Is.Not.EqualTo(edges(a)));
    }

    [Test]
    public void Harary_IsNotTheUnshuffledRing()
    {
        var graph = NeighbourGraph.Harary(50, 4, "plan", 1);

        var ringEdges = Enumerable.Range(0, 50).Count(i => graph.AreNeighbours(i, (i + 1) % 50));
        Assert.That(ringEdges, Is.LessThan(25), "a random relabelling keeps few of the ring's edges");
    }

    [Test]
    public void Complete_EveryPairIsAdjacent()
    {
        var graph = NeighbourGraph.Complete(5);

        Assert.That(graph.NeighboursOf(2), Is.EqualTo(new[] { 0, 1, 3, 4 }));
        Assert.That(graph.AreNeighbours(1, 1), Is.False);
        Assert.That(graph.AreNeighbours(0, 4), Is.True);
    }
}
