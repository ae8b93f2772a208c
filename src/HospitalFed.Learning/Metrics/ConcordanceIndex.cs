namespace HospitalFed.Learning.Metrics;

/// <summary>
/// Harrell's concordance index for survival predictions (Harrell et al., JAMA 1982).
/// </summary>
public static class ConcordanceIndex
{
    /// <summary>
    /// Among comparable pairs (the earlier time is an observed event), the fraction where the
    /// earlier subject has the higher risk score; risk ties count one half. Pairs with equal
    /// times are not comparable. O(n log n): subjects are visited from the latest time to the
    /// earliest while a Fenwick tree over risk ranks counts the later subjects below each risk.
    /// </summary>
    /// <param name="riskScores">Higher means earlier expected event (e.g. the Cox linear predictor).</param>
    /// <param name="times">Observed or censoring times.</param>
    /// <param name="events">1 for an observed event, 0 for censored.</param>
    /// <returns>The index in [0, 1], or NaN when no pair is comparable.</returns>
    public static double Compute(ReadOnlySpan<float> riskScores, ReadOnlySpan<float> times, ReadOnlySpan<float> events)
    {
        if (riskScores.Length != times.Length || times.Length != events.Length)
        {
            throw new ArgumentException("Risk scores, times and events must have the same length.", nameof(times));
        }

        var n = times.Length;
        var byTime = new int[n];
        var sortKeys = new float[n];
        for (var i = 0; i < n; i++)
        {
            byTime[i] = i;
            sortKeys[i] = -times[i];
        }

        Array.Sort(sortKeys, byTime);
        var distinctRisks = riskScores.ToArray();
        Array.Sort(distinctRisks);
        var rankCount = n == 0 ? 0 : Dedupe(distinctRisks);
        var tree = new long[rankCount + 1];

        double concordant = 0;
        double comparable = 0;
        long inserted = 0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && sortKeys[end] == sortKeys[start])
            {
                end++;
            }

            // Everyone inserted so far has a strictly later time than this group.
            for (var k = start; k < end; k++)
            {
                var i = byTime[k];
                if (events[i] == 0)
                {
                    continue;
                }

                var rank = Rank(distinctRisks, rankCount, riskScores[i]);
                var below = Prefix(tree, rank - 1);
                var tied = Prefix(tree, rank) - below;
                concordant += below + (0.5 * tied);
                comparable += inserted;
            }

            for (var k = start; k < end; k++)
            {
                Add(tree, Rank(distinctRisks, rankCount, riskScores[byTime[k]]));
                inserted++;
            }

            start = end;
        }

        return comparable == 0 ? double.NaN : concordant / comparable;
    }

    private static int Dedupe(float[] sorted)
    {
        var count = 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] != sorted[count - 1])
            {
                sorted[count++] = sorted[i];
            }
        }

        return count;
    }

    /// <summary>1-based rank of <paramref name="value"/> among the distinct risks.</summary>
    private static int Rank(float[] distinct, int count, float value) => Array.BinarySearch(distinct, 0, count, value) + 1;

    private static long Prefix(long[] tree, int rank)
    {
        long sum = 0;
        for (; rank > 0; rank -= rank & -rank)
        {
            sum += tree[rank];
        }

        return sum;
    }

    private static void Add(long[] tree, int rank)
    {
        for (; rank < tree.Length; rank += rank & -rank)
        {
            tree[rank]++;
        }
    }
}
