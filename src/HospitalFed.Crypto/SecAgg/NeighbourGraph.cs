using System.Security.Cryptography;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Crypto.SecAgg;

/// <summary>
/// Who shares keys and masks with whom. The original protocol uses the complete graph; SecAgg+
/// (Bell et al., CCS 2020, section 3) uses a random k-regular graph: the Harary graph H(k, n)
/// (each node joined to the k/2 nearest on each side of a ring) under a uniformly random
/// relabelling. The relabelling comes from a public per-round seed, SHA-256 of a domain label,
/// the plan id and the round, so every party computes the same graph and nobody (the
/// aggregator included) chooses it after seeing the keys.
/// </summary>
public sealed class NeighbourGraph
{
    private readonly int[][] _neighbours;
    private readonly bool _complete;

    private NeighbourGraph(int[][] neighbours, bool complete)
    {
        _neighbours = neighbours;
        _complete = complete;
    }

    /// <summary>The number of nodes.</summary>
    public int Count => _neighbours.Length;

    /// <summary>The complete graph on <paramref name="count"/> nodes.</summary>
    public static NeighbourGraph Complete(int count)
    {
        var all = Enumerable.Range(0, count).ToArray();
        return new NeighbourGraph(Enumerable.Range(0, count).Select(i => all.Where(j => j != i).ToArray()).ToArray(), complete: true);
    }

    /// <summary>The randomly relabelled Harary graph H(k, n) for a plan's round.</summary>
    public static NeighbourGraph Harary(int count, int k, string planId, long round)
    {
        if (k < 2 || k % 2 != 0 || k >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"H(k, n) needs an even k with 2 <= k < n = {count}");
        }

        var position = RandomPermutation(count, PublicSeed(planId, round));
        var atPosition = new int[count];
        for (var i = 0; i < count; i++)
        {
            atPosition[position[i]] = i;
        }

        var neighbours = new int[count][];
        for (var i = 0; i < count; i++)
        {
            var list = new List<int>(k);
            for (var step = 1; step <= k / 2; step++)
            {
                list.Add(atPosition[(position[i] + step) % count]);
                list.Add(atPosition[(position[i] - step + count) % count]);
            }

            list.Sort();
            neighbours[i] = [.. list];
        }

        return new NeighbourGraph(neighbours, complete: false);
    }

    /// <summary>The neighbours of node <paramref name="node"/>, ascending (the node itself excluded).</summary>
    public IReadOnlyList<int> NeighboursOf(int node) => _neighbours[node];

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are distinct neighbours.</summary>
    public bool AreNeighbours(int a, int b) => a != b && (_complete || Array.BinarySearch(_neighbours[a], b) >= 0);

    /// <summary>The holders of node <paramref name="node"/>'s shares: its neighbours and itself, ascending.</summary>
    public IReadOnlyList<int> HoldersOf(int node)
    {
        var holders = new List<int>(_neighbours[node]) { node };
        holders.Sort();
        return holders;
    }

    private static byte[] PublicSeed(string planId, long round)
    {
        var bytes = ContextEncoding.EncodeNames(HkdfLabels.NeighbourGraph, [planId, round.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return SHA256.HashData(bytes); // 32 bytes: the PRG's key and initial counter block
    }

    private static int[] RandomPermutation(int count, byte[] seed)
    {
        // Fisher-Yates with rejection sampling, so every permutation is equally likely.
        using var prg = new MaskPrg(seed);
        var permutation = Enumerable.Range(0, count).ToArray();
        var word = new uint[1];
        long next = 0;
        for (var i = count - 1; i > 0; i--)
        {
            var range = (uint)(i + 1);
            var limit = uint.MaxValue - (uint.MaxValue % range);
            uint draw;
            do
            {
                prg.Generate(next++, word);
                draw = word[0];
            }
            while (draw >= limit);

            var j = (int)(draw % range);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        return permutation;
    }
}
