using HospitalFed.Learning.Data;

namespace HospitalFed.Learning.Features;

/// <summary>
/// Feature statistics derived from the schema alone, releasing nothing about any record: what a
/// plan with differential privacy standardises and imputes with instead of the pooled statistics
/// of round 1 (docs/privacy.md, "Round 1: statistics without spending").
/// </summary>
/// <remarks>
/// Each feature gets the mean and variance of the uniform distribution over what the schema
/// declares it can take: a numeric column over [minimum, maximum] has mean (min + max) / 2 and
/// variance (max - min)^2 / 12; a 0/1 column (binary, a missing-value indicator) mean 1/2 and
/// variance 1/4; the one-hot feature of one of L declared levels mean 1/L and variance
/// (1/L)(1 - 1/L). The price is a coarser standardisation: a feature whose values fill a small part
/// of its declared range keeps a small spread after standardising (docs/learning.md, "Utility
/// under differential privacy").
/// </remarks>
public static class PublicStatistics
{
    /// <summary>The statistics of every feature of <paramref name="pipeline"/>, as one-observation counts (mean = sum, variance = centred sum of squares).</summary>
    /// <exception cref="ArgumentException">
    /// A numeric feature that the pipeline standardises or imputes comes from a column that declares
    /// no minimum or no maximum (the message names the column): it has no public statistics.
    /// </exception>
    public static FeatureStatistics FromSchema(FeaturePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var schema = pipeline.Schema;
        var columns = schema.FeatureIndices.Select(i => schema.Columns[i]).ToArray();
        var count = pipeline.FeatureCount;
        var counts = new double[count];
        var means = new double[count];
        var variances = new double[count];
        for (var f = 0; f < count; f++)
        {
            var feature = pipeline.Features[f];
            var column = columns[feature.SourceColumn];
            counts[f] = 1;
            (means[f], variances[f]) = feature.IsIndicator || column.Type == ColumnType.Binary ? (0.5, 0.25)
                : feature.Level >= 0 ? Bernoulli(1.0 / column.Levels.Count)
                : Numeric(column, feature, nameof(pipeline));
        }

        return new FeatureStatistics(counts, means, variances);
    }

    private static (double Mean, double Variance) Bernoulli(double p) => (p, p * (1 - p));

    private static (double Mean, double Variance) Numeric(ColumnSchema column, EncodedFeature feature, string parameter)
    {
        if (column is { Minimum: { } min, Maximum: { } max })
        {
            return ((min + max) / 2, (max - min) * (max - min) / 12);
        }

        var imputes = column.Missing is MissingPolicy.Impute or MissingPolicy.Indicator;
        if (feature.Standardized || imputes)
        {
            throw new ArgumentException(
                $"column '{column.Name}' declares no {(column.Minimum is null ? "minimum" : "maximum")}: under differential privacy features are {(feature.Standardized ? "standardised" : "imputed")} with public statistics from the schema's declared ranges; declare both",
                parameter);
        }

        // Neither centred, scaled nor imputed: the statistics are never read.
        return (0, 1);
    }
}
