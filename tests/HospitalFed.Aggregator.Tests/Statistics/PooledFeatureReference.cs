using HospitalFed.Learning.Data;

namespace HospitalFed.Aggregator.Tests.Statistics;

/// <summary>
/// The reference the federated statistics must match: every site's rows pooled in one place and
/// each encoded feature's mean and population standard deviation computed in double precision by
/// two passes (the mean, then the centred sum of squares). It encodes the raw table values itself
/// (numbers as they are, one-hot per declared level, 0/1 missing indicators; missing numbers not
/// observed), so nothing in it comes from the statistics code under test.
/// </summary>
internal sealed record PooledFeatureReference(string[] Names, double[] Counts, double[] Means, double[] StandardDeviations)
{
    public static PooledFeatureReference Compute(ExtractSchema schema, IEnumerable<ExtractTable> tables)
    {
        var columns = schema.Columns.Where(c => c.Type != ColumnType.Ignore && c.Name != schema.Target.Column).ToArray();
        var encoders = new List<(string Name, Func<float, double> Encode)>();
        for (var slot = 0; slot < columns.Length; slot++)
        {
            var c = columns[slot];
            if (c.Type == ColumnType.Categorical)
            {
                for (var level = c.DropFirstLevel ? 1 : 0; level < c.Levels.Count; level++)
                {
                    var l = level;
                    encoders.Add(($"{c.Name}={c.Levels[level]}", v => float.IsNaN(v) ? 0 : v == l ? 1 : 0));
                }
            }
            else
            {
                encoders.Add((c.Name, v => v));
            }

            if (c.Missing == MissingPolicy.Indicator)
            {
                encoders.Add(($"{c.Name}_missing", v => float.IsNaN(v) ? 1 : 0));
            }
        }

        var sources = encoders.Select((_, f) => SourceColumn(columns, f)).ToArray();
        var values = encoders.Select(_ => new List<double>()).ToArray();
        foreach (var table in tables)
        {
            for (var r = 0; r < table.Rows; r++)
            {
                for (var f = 0; f < encoders.Count; f++)
                {
                    var x = encoders[f].Encode(table.Values[(r * columns.Length) + sources[f]]);
                    if (!double.IsNaN(x))
                    {
                        values[f].Add(x);
                    }
                }
            }
        }

        var means = values.Select(v => v.Sum() / v.Count).ToArray();
        var deviations = values.Select((v, f) => Math.Sqrt(v.Sum(x => (x - means[f]) * (x - means[f])) / v.Count)).ToArray();
        return new([.. encoders.Select(e => e.Name)], [.. values.Select(v => (double)v.Count)], means, deviations);

        int SourceColumn(ColumnSchema[] all, int feature)
        {
            var f = 0;
            for (var slot = 0; slot < all.Length; slot++)
            {
                var width = (all[slot].Type == ColumnType.Categorical ? all[slot].Levels.Count - (all[slot].DropFirstLevel ? 1 : 0) : 1)
                    + (all[slot].Missing == MissingPolicy.Indicator ? 1 : 0);
                if (feature < f + width)
                {
                    return slot;
                }

                f += width;
            }

            throw new ArgumentOutOfRangeException(nameof(feature));
        }
    }
}
