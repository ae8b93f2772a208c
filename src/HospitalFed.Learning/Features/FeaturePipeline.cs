using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features.Internal;

namespace HospitalFed.Learning.Features;

/// <summary>
/// Turns accepted extract rows into model inputs: one-hot encoding in declared level order,
/// missing-value indicators, mean imputation and standardisation with statistics that may come
/// from the federation. The feature order is fixed by the schema alone (column order, then level
/// order), so every site builds identical vectors and <see cref="FeatureNames"/> can be written
/// into the plan.
/// </summary>
public sealed class FeaturePipeline
{
    private readonly EncodedFeature[] _features;
    private readonly int _columns;

    /// <summary>Builds the pipeline for a validated schema.</summary>
    public FeaturePipeline(ExtractSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        schema.Validate();
        var features = new List<EncodedFeature>();
        var columns = schema.FeatureIndices.Select(i => schema.Columns[i]).ToArray();
        var all = schema.Standardize == StandardizeMode.All;
        for (var slot = 0; slot < columns.Length; slot++)
        {
            var c = columns[slot];
            if (c.Type == ColumnType.Categorical)
            {
                for (var level = c.DropFirstLevel ? 1 : 0; level < c.Levels.Count; level++)
                {
                    features.Add(new EncodedFeature($"{c.Name}={c.Levels[level]}", slot, level, false, all));
                }
            }
            else
            {
                var standardized = all || (schema.Standardize == StandardizeMode.Numeric && c.Type == ColumnType.Numeric);
                features.Add(new EncodedFeature(c.Name, slot, -1, false, standardized));
            }

            if (c.Missing == MissingPolicy.Indicator)
            {
                features.Add(new EncodedFeature($"{c.Name}_missing", slot, -1, true, all));
            }
        }

        _features = [.. features];
        _columns = columns.Length;
        Schema = schema;
    }

    /// <summary>The schema the pipeline was built from.</summary>
    public ExtractSchema Schema { get; }

    /// <summary>The encoded features in model input order.</summary>
    public IReadOnlyList<EncodedFeature> Features => _features;

    /// <summary>Feature names in model input order (for the plan).</summary>
    public IReadOnlyList<string> FeatureNames => [.. _features.Select(f => f.Name)];

    /// <summary>Number of model inputs.</summary>
    public int FeatureCount => _features.Length;

    /// <summary>
    /// Computes this site's exact per-feature count, sum and sum of squares over its rows (before
    /// imputation and standardisation; missing values are not counted): what a site contributes to
    /// the statistics round.
    /// </summary>
    /// <exception cref="ArgumentException">The table was loaded with a different schema, or a value is infinite (the message names the feature and row).</exception>
    public FeatureSums ComputeSums(ExtractTable table)
    {
        CheckTable(table);
        var accumulators = new ExactAccumulator[FeatureCount];
        for (var f = 0; f < accumulators.Length; f++)
        {
            accumulators[f] = new ExactAccumulator();
        }

        var encoded = new float[FeatureCount];
        for (var r = 0; r < table.Rows; r++)
        {
            Encode(table.Values.AsSpan(r * _columns, _columns), encoded);
            for (var f = 0; f < encoded.Length; f++)
            {
                if (float.IsNaN(encoded[f]))
                {
                    continue;
                }

                if (float.IsInfinity(encoded[f]))
                {
                    throw new ArgumentException($"Feature '{_features[f].Name}' is infinite in row {r + 1}: statistics need finite values.", nameof(table));
                }

                accumulators[f].Add(encoded[f]);
            }
        }

        return FeatureSums.From(accumulators);
    }

    /// <summary>This site's statistics (exact, see <see cref="ComputeSums"/>), e.g. for a local-only model.</summary>
    /// <exception cref="ArgumentException">See <see cref="ComputeSums"/>.</exception>
    public FeatureStatistics ComputeStatistics(ExtractTable table) => ComputeSums(table).ToStatistics();

    /// <summary>
    /// Statistics that depend on no record, only on the schema's declared ranges: what a plan with
    /// differential privacy standardises with, since pooled statistics would be an exact function of
    /// the records outside the noised sum (docs/privacy.md, "Round 1"). Each feature's mean is the
    /// middle of its range and its deviation half the range's width, so a value in range maps into
    /// [-1, 1]: a numeric column uses its declared <c>minimum</c> and <c>maximum</c>; a binary column,
    /// a one-hot level and a missing-value indicator use [0, 1]. A numeric column without both bounds
    /// gets mean 0 and deviation 1 (it passes through unscaled).
    /// </summary>
    public FeatureStatistics PublicStatistics()
    {
        var counts = new double[FeatureCount];
        var sums = new double[FeatureCount];
        var squares = new double[FeatureCount];
        var columns = Schema.FeatureIndices.Select(i => Schema.Columns[i]).ToArray();
        for (var f = 0; f < FeatureCount; f++)
        {
            var feature = _features[f];
            var column = columns[feature.SourceColumn];
            var (low, high) = feature.IsIndicator || feature.Level >= 0 || column.Type != ColumnType.Numeric
                ? (0.0, 1.0)
                : column is { Minimum: { } min, Maximum: { } max } && max > min ? (min, max) : (-1.0, 1.0);

            // One pseudo-observation at the middle with centred square (width / 2)^2: mean and deviation as above.
            counts[f] = 1;
            sums[f] = (low + high) / 2;
            squares[f] = ((high - low) / 2) * ((high - low) / 2);
        }

        return new FeatureStatistics(counts, sums, squares);
    }

    /// <summary>
    /// Encodes, imputes (with the statistics' means) and standardises every row into a dataset.
    /// </summary>
    /// <param name="table">Rows loaded with this pipeline's schema.</param>
    /// <param name="statistics">Local or federated statistics with one entry per feature.</param>
    public Dataset Transform(ExtractTable table, FeatureStatistics statistics)
    {
        CheckTable(table);
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.FeatureCount != FeatureCount)
        {
            throw new ArgumentException($"Statistics cover {statistics.FeatureCount} features; the pipeline has {FeatureCount}.", nameof(statistics));
        }

        var mean = new float[FeatureCount];
        var scale = new float[FeatureCount];
        var shift = new float[FeatureCount];
        for (var f = 0; f < FeatureCount; f++)
        {
            mean[f] = (float)statistics.Mean(f);
            var standardized = _features[f].Standardized;
            shift[f] = standardized ? mean[f] : 0;
            scale[f] = standardized ? (float)(1 / statistics.StandardDeviation(f)) : 1;
        }

        var output = new float[table.Rows * FeatureCount];
        for (var r = 0; r < table.Rows; r++)
        {
            var row = output.AsSpan(r * FeatureCount, FeatureCount);
            Encode(table.Values.AsSpan(r * _columns, _columns), row);
            for (var f = 0; f < row.Length; f++)
            {
                var x = float.IsNaN(row[f]) ? mean[f] : row[f];
                row[f] = (x - shift[f]) * scale[f];
            }
        }

        return new Dataset(FeatureNames, output, (float[])table.Targets.Clone());
    }

    private void Encode(ReadOnlySpan<float> raw, Span<float> encoded)
    {
        for (var f = 0; f < _features.Length; f++)
        {
            var feature = _features[f];
            var value = raw[feature.SourceColumn];
            encoded[f] = feature.IsIndicator ? (float.IsNaN(value) ? 1 : 0)
                : feature.Level >= 0 ? (float.IsNaN(value) ? 0 : value == feature.Level ? 1 : 0)
                : value;
        }
    }

    private void CheckTable(ExtractTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var expected = Schema.FeatureIndices.Select(i => Schema.Columns[i]).ToArray();
        if (table.FeatureColumns.Count != _columns || !table.FeatureColumns.Zip(expected).All(p => SameEncoding(p.First, p.Second)))
        {
            throw new ArgumentException("The table was loaded with a different schema.", nameof(table));
        }
    }

    private static bool SameEncoding(ColumnSchema a, ColumnSchema b) =>
        a.Name == b.Name && a.Type == b.Type && a.Missing == b.Missing && a.DropFirstLevel == b.DropFirstLevel
        && a.Levels.SequenceEqual(b.Levels, StringComparer.Ordinal);
}
