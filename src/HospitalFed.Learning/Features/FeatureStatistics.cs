namespace HospitalFed.Learning.Features;

/// <summary>
/// Per-feature count of observed values, sum and sum of squares. These are sums, so the
/// federation adds the sites' statistics (in the clear or securely aggregated) and every site
/// then standardises and imputes with the same pooled mean and standard deviation.
/// </summary>
public sealed class FeatureStatistics
{
    /// <summary>Wraps per-feature sums (arrays are not copied).</summary>
    /// <exception cref="ArgumentException">The arrays differ in length.</exception>
    public FeatureStatistics(double[] counts, double[] sums, double[] sumsOfSquares)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(sums);
        ArgumentNullException.ThrowIfNull(sumsOfSquares);
        if (sums.Length != counts.Length || sumsOfSquares.Length != counts.Length)
        {
            throw new ArgumentException("Counts, sums and sums of squares must have one entry per feature.", nameof(sums));
        }

        Counts = counts;
        Sums = sums;
        SumsOfSquares = sumsOfSquares;
    }

    /// <summary>Number of features.</summary>
    public int FeatureCount => Counts.Length;

    /// <summary>Observed (non-missing) values per feature.</summary>
    public double[] Counts { get; }

    /// <summary>Sum of observed values per feature.</summary>
    public double[] Sums { get; }

    /// <summary>Sum of squared observed values per feature.</summary>
    public double[] SumsOfSquares { get; }

    /// <summary>Length of the vector form: 3 x features (counts, sums, sums of squares).</summary>
    public int VectorLength => 3 * FeatureCount;

    /// <summary>Mean of feature <paramref name="i"/> (0 when nothing was observed).</summary>
    public double Mean(int i) => Counts[i] > 0 ? Sums[i] / Counts[i] : 0;

    /// <summary>Population standard deviation of feature <paramref name="i"/>; 1 when it is zero or undefined, so constant features pass through centred.</summary>
    public double StandardDeviation(int i)
    {
        if (Counts[i] <= 0)
        {
            return 1;
        }

        var mean = Mean(i);
        var variance = (SumsOfSquares[i] / Counts[i]) - (mean * mean);
        return variance > 1e-12 ? Math.Sqrt(variance) : 1;
    }

    /// <summary>Element-wise sum of two sites' statistics.</summary>
    public static FeatureStatistics operator +(FeatureStatistics a, FeatureStatistics b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.FeatureCount != b.FeatureCount)
        {
            throw new ArgumentException($"Cannot add statistics of {a.FeatureCount} and {b.FeatureCount} features.", nameof(b));
        }

        return new FeatureStatistics(
            [.. a.Counts.Zip(b.Counts, (x, y) => x + y)],
            [.. a.Sums.Zip(b.Sums, (x, y) => x + y)],
            [.. a.SumsOfSquares.Zip(b.SumsOfSquares, (x, y) => x + y)]);
    }

    /// <summary>Sums the statistics of several sites.</summary>
    public static FeatureStatistics Sum(IEnumerable<FeatureStatistics> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        return sites.Aggregate((a, b) => a + b);
    }

    /// <summary>Writes [counts, sums, sums of squares] for secure aggregation.</summary>
    public void WriteTo(Span<double> destination)
    {
        if (destination.Length != VectorLength)
        {
            throw new ArgumentException($"Need {VectorLength} elements.", nameof(destination));
        }

        Counts.CopyTo(destination);
        Sums.CopyTo(destination[FeatureCount..]);
        SumsOfSquares.CopyTo(destination[(2 * FeatureCount)..]);
    }

    /// <summary>Reads the vector form (e.g. the aggregate of every site's <see cref="WriteTo"/>).</summary>
    public static FeatureStatistics ReadFrom(ReadOnlySpan<double> source)
    {
        if (source.Length == 0 || source.Length % 3 != 0)
        {
            throw new ArgumentException($"A statistics vector has 3 x features elements, got {source.Length}.", nameof(source));
        }

        var n = source.Length / 3;
        return new FeatureStatistics(source[..n].ToArray(), source.Slice(n, n).ToArray(), source[(2 * n)..].ToArray());
    }
}
