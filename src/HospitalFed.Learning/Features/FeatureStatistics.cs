namespace HospitalFed.Learning.Features;

/// <summary>
/// Per-feature count of observed values, sum and centred sum of squares sum (x - mean)^2: what
/// standardisation and imputation need. The federation derives them exactly from the securely
/// summed <see cref="FeatureSums"/> (<see cref="FeatureSums.ToStatistics"/>), and every site then
/// standardises and imputes with the same pooled mean and standard deviation.
/// </summary>
/// <remarks>
/// The centred form keeps the variance exact where sum(x^2)/n - mean^2 would cancel (a feature
/// such as 1e6 + noise). Its vector form (<see cref="WriteTo"/>) is what training-round
/// invitations carry and models store.
/// </remarks>
public sealed class FeatureStatistics
{
    /// <summary>Wraps per-feature statistics (arrays are not copied).</summary>
    /// <param name="counts">Observed values per feature.</param>
    /// <param name="sums">Sum of the observed values per feature.</param>
    /// <param name="centredSumsOfSquares">Sum of (x - mean)^2 over the observed values per feature (never negative).</param>
    /// <exception cref="ArgumentException">The arrays differ in length, or a count or centred sum of squares is negative or not finite (the message names the feature).</exception>
    public FeatureStatistics(double[] counts, double[] sums, double[] centredSumsOfSquares)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(sums);
        ArgumentNullException.ThrowIfNull(centredSumsOfSquares);
        if (sums.Length != counts.Length || centredSumsOfSquares.Length != counts.Length)
        {
            throw new ArgumentException("Counts, sums and centred sums of squares must have one entry per feature.", nameof(sums));
        }

        for (var f = 0; f < counts.Length; f++)
        {
            if (!(counts[f] >= 0) || !(centredSumsOfSquares[f] >= 0) || !double.IsFinite(counts[f]) || !double.IsFinite(sums[f]) || !double.IsFinite(centredSumsOfSquares[f]))
            {
                throw new ArgumentException($"Feature {f}: count {counts[f]}, sum {sums[f]} and centred sum of squares {centredSumsOfSquares[f]} must be finite, the count and centred sum of squares not negative.", nameof(centredSumsOfSquares));
            }
        }

        Counts = counts;
        Sums = sums;
        CentredSumsOfSquares = centredSumsOfSquares;
    }

    /// <summary>Number of features.</summary>
    public int FeatureCount => Counts.Length;

    /// <summary>Observed (non-missing) values per feature.</summary>
    public double[] Counts { get; }

    /// <summary>Sum of observed values per feature.</summary>
    public double[] Sums { get; }

    /// <summary>Sum of squared deviations from the mean, sum (x - mean)^2, per feature.</summary>
    public double[] CentredSumsOfSquares { get; }

    /// <summary>Length of the vector form: 3 x features (counts, sums, centred sums of squares).</summary>
    public int VectorLength => 3 * FeatureCount;

    /// <summary>Mean of feature <paramref name="i"/> (0 when nothing was observed).</summary>
    public double Mean(int i) => Counts[i] > 0 ? Sums[i] / Counts[i] : 0;

    /// <summary>
    /// Population standard deviation of feature <paramref name="i"/>, sqrt(sum (x - mean)^2 / n);
    /// 1 when nothing was observed or every value was the same (exactly zero spread), so constant
    /// features pass through centred.
    /// </summary>
    public double StandardDeviation(int i) =>
        Counts[i] > 0 && CentredSumsOfSquares[i] > 0 ? Math.Sqrt(CentredSumsOfSquares[i] / Counts[i]) : 1;

    /// <summary>
    /// Pools two sets of statistics in double precision (Chan, Golub and LeVeque 1979: the centred
    /// sums add plus delta^2 n_a n_b / n). The services pool exactly through
    /// <see cref="FeatureSums.Pool"/> instead; this is for statistics already in this form.
    /// </summary>
    public static FeatureStatistics operator +(FeatureStatistics a, FeatureStatistics b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.FeatureCount != b.FeatureCount)
        {
            throw new ArgumentException($"Cannot add statistics of {a.FeatureCount} and {b.FeatureCount} features.", nameof(b));
        }

        var centred = new double[a.FeatureCount];
        for (var f = 0; f < centred.Length; f++)
        {
            var n = a.Counts[f] + b.Counts[f];
            var delta = b.Mean(f) - a.Mean(f);
            centred[f] = a.CentredSumsOfSquares[f] + b.CentredSumsOfSquares[f] + (n > 0 ? delta * delta * a.Counts[f] * b.Counts[f] / n : 0);
        }

        return new FeatureStatistics(
            [.. a.Counts.Zip(b.Counts, (x, y) => x + y)],
            [.. a.Sums.Zip(b.Sums, (x, y) => x + y)],
            centred);
    }

    /// <summary>Pools the statistics of several sites with <see cref="op_Addition"/>.</summary>
    public static FeatureStatistics Sum(IEnumerable<FeatureStatistics> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        return sites.Aggregate((a, b) => a + b);
    }

    /// <summary>Writes [counts, sums, centred sums of squares] (the form invitations carry and models store; not additive).</summary>
    public void WriteTo(Span<double> destination)
    {
        if (destination.Length != VectorLength)
        {
            throw new ArgumentException($"Need {VectorLength} elements.", nameof(destination));
        }

        Counts.CopyTo(destination);
        Sums.CopyTo(destination[FeatureCount..]);
        CentredSumsOfSquares.CopyTo(destination[(2 * FeatureCount)..]);
    }

    /// <summary>Reads the vector form written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="ArgumentException">The length is not a positive multiple of 3, or a value is out of range (see the constructor).</exception>
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
