namespace HospitalFed.Crypto.Tests.Privacy;

/// <summary>Pearson's chi-square goodness-of-fit statistic and its critical value.</summary>
internal static class ChiSquare
{
    /// <summary>z with P[N(0,1) &gt; z] = 0.001.</summary>
    public const double ZAtOnePerMille = 3.0902;

    /// <summary>
    /// The statistic over one bin per integer in [-K, K], K the largest x expecting at least 5
    /// observations, and the two tails merged into the edge bins; returns it and the degrees of freedom.
    /// </summary>
    public static (double Statistic, int DegreesOfFreedom) Statistic(IReadOnlyDictionary<long, int> counts, DiscreteGaussianPmf pmf, int samples)
    {
        var k = 0;
        while (pmf[k + 1] * samples >= 5)
        {
            k++;
        }

        var statistic = 0.0;
        for (var x = -k; x <= k; x++)
        {
            var expected = pmf[x] * samples;
            double observed = counts.GetValueOrDefault(x);
            if (Math.Abs(x) == k)
            {
                // The edge bin also holds its tail: |X| >= k on that side.
                for (var y = k + 1; y <= pmf.Support; y++)
                {
                    expected += pmf[y] * samples;
                }

                observed += counts.Where(kv => Math.Sign(kv.Key) == Math.Sign(x) && Math.Abs(kv.Key) > k).Sum(kv => kv.Value);
            }

            statistic += (observed - expected) * (observed - expected) / expected;
        }

        return (statistic, 2 * k);
    }

    /// <summary>The 0.999 quantile of chi-square with k degrees of freedom (Wilson-Hilferty approximation).</summary>
    public static double CriticalValueAtOnePerMille(int k)
    {
        var a = 2.0 / (9.0 * k);
        return k * Math.Pow(1 - a + (ZAtOnePerMille * Math.Sqrt(a)), 3);
    }
}
