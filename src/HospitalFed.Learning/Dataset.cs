namespace HospitalFed.Learning;

/// <summary>
/// A model-ready table: a row-major float32 feature matrix with one target per row (0/1 label,
/// class index or survival time) and, for survival data, one event flag per row.
/// </summary>
public sealed class Dataset
{
    /// <summary>Wraps the given arrays without copying.</summary>
    /// <param name="featureNames">Names of the columns, in matrix order.</param>
    /// <param name="features">Row-major features, rows x featureNames.Count.</param>
    /// <param name="targets">One target per row.</param>
    /// <param name="events">Event flags (1 event, 0 censored) for survival data, otherwise null.</param>
    /// <exception cref="ArgumentException">The array lengths disagree.</exception>
    public Dataset(IReadOnlyList<string> featureNames, float[] features, float[] targets, float[]? events = null)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (featureNames.Count == 0 || features.Length != targets.Length * featureNames.Count)
        {
            throw new ArgumentException($"{features.Length} feature values do not form {targets.Length} rows of {featureNames.Count} features.", nameof(features));
        }

        if (events is not null && events.Length != targets.Length)
        {
            throw new ArgumentException($"{events.Length} event flags for {targets.Length} rows.", nameof(events));
        }

        FeatureNames = featureNames;
        Features = features;
        Targets = targets;
        Events = events;
    }

    /// <summary>Column names in matrix order (the plan's feature order).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Row-major feature matrix.</summary>
    public float[] Features { get; }

    /// <summary>One target per row.</summary>
    public float[] Targets { get; }

    /// <summary>Event flags for survival data, or null.</summary>
    public float[]? Events { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Targets.Length;

    /// <summary>Number of features per row.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>A new dataset holding the given rows, in the given order.</summary>
    public Dataset Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var features = new float[rows.Count * FeatureCount];
        var targets = new float[rows.Count];
        var events = Events is null ? null : new float[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(features.AsSpan(i * FeatureCount));
            targets[i] = Targets[rows[i]];
            if (events is not null)
            {
                events[i] = Events![rows[i]];
            }
        }

        return new Dataset(FeatureNames, features, targets, events);
    }

    /// <summary>Concatenates datasets with identical feature names (e.g. pooling sites in a simulation).</summary>
    public static Dataset Concatenate(IReadOnlyList<Dataset> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Nothing to concatenate.", nameof(parts));
        }

        var names = parts[0].FeatureNames;
        if (parts.Any(p => !p.FeatureNames.SequenceEqual(names, StringComparer.Ordinal)))
        {
            throw new ArgumentException("Datasets have different feature layouts.", nameof(parts));
        }

        var hasEvents = parts[0].Events is not null;
        if (parts.Any(p => (p.Events is not null) != hasEvents))
        {
            throw new ArgumentException("Some datasets have event flags and some do not.", nameof(parts));
        }

        return new Dataset(
            names,
            [.. parts.SelectMany(p => p.Features)],
            [.. parts.SelectMany(p => p.Targets)],
            hasEvents ? [.. parts.SelectMany(p => p.Events!)] : null);
    }
}
