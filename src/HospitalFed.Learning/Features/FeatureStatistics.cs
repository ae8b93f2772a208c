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
/// invitations carry and models store; it starts with <see cref="CentredFormTag"/> so that the
/// earlier form, [counts, sums, sums of squares] without a tag, is never misread as centred
/// (<see cref="ReadFrom"/> still reads it, with its original meaning).
/// </remarks>
public sealed class FeatureStatistics
{
    /// <summary>
    /// The first element of the vector form: -2 (a count is never negative, so an untagged vector
    /// of the earlier form, which starts with a count, cannot be taken for this one).
    /// </summary>
    public const double CentredFormTag = -2;

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

    /// <summary>Length of the vector form: 1 + 3 x features (the tag, counts, sums, centred sums of squares).</summary>
    public int VectorLength => VectorLengthFor(FeatureCount);

    /// <summary>Length of the vector form of <paramref name="features"/> features: 1 + 3 x features.</summary>
    public static int VectorLengthFor(int features) => checked(1 + (3 * features));

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

    /// <summary>
    /// Writes [<see cref="CentredFormTag"/>, counts, sums, centred sums of squares]: the form
    /// invitations carry and models store (not additive).
    /// </summary>
    /// <exception cref="ArgumentException">The destination does not hold <see cref="VectorLength"/> elements.</exception>
    public void WriteTo(Span<double> destination)
    {
        if (destination.Length != VectorLength)
        {
            throw new ArgumentException($"The statistics of {FeatureCount} features take {VectorLength} elements, not {destination.Length}.", nameof(destination));
        }

        destination[0] = CentredFormTag;
        Counts.CopyTo(destination[1..]);
        Sums.CopyTo(destination[(1 + FeatureCount)..]);
        CentredSumsOfSquares.CopyTo(destination[(1 + (2 * FeatureCount))..]);
    }

    /// <summary>
    /// Reads the vector form written by <see cref="WriteTo"/>, or the earlier untagged form
    /// [counts, sums, sums of squares] (3 x features elements, e.g. a model stored before the
    /// centred form), whose centred sums of squares are then derived as sum(x^2) - sum(x)^2 / n in
    /// double precision, as that version computed its deviations.
    /// </summary>
    /// <exception cref="ArgumentException">The vector is neither form (its length and first element say which), or a value is out of range (see the constructor).</exception>
    public static FeatureStatistics ReadFrom(ReadOnlySpan<double> source)
    {
        if (source.Length > 1 && source.Length % 3 == 1 && source[0] == CentredFormTag)
        {
            var n = (source.Length - 1) / 3;
            return new FeatureStatistics(source.Slice(1, n).ToArray(), source.Slice(1 + n, n).ToArray(), source[(1 + (2 * n))..].ToArray());
        }

        if (source.Length > 0 && source.Length % 3 == 0)
        {
            var n = source.Length / 3;
            var counts = source[..n].ToArray();
            var sums = source.Slice(n, n).ToArray();
            var centred = new double[n];
            for (var f = 0; f < n; f++)
            {
                centred[f] = counts[f] > 0 ? Math.Max(0, source[(2 * n) + f] - (sums[f] * sums[f] / counts[f])) : 0;
            }

            return new FeatureStatistics(counts, sums, centred);
        }

        throw new ArgumentException(
            $"A statistics vector is [{CentredFormTag}, counts, sums, centred sums of squares] (1 + 3 x features elements) or, from earlier versions, [counts, sums, sums of squares] (3 x features); got {source.Length} elements{(source.Length % 3 == 1 ? $" starting with {source[0]}" : "")}.",
            nameof(source));
    }
}
