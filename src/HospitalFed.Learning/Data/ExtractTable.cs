namespace HospitalFed.Learning.Data;

/// <summary>
/// The accepted rows of an extract, before encoding: one float per feature column (the number,
/// 0/1, or the categorical level index; NaN when missing under impute/indicator), the target,
/// and each row's source line. Memory is proportional to rows x feature columns.
/// </summary>
public sealed class ExtractTable
{
    internal ExtractTable(ExtractSchema schema, float[] values, float[] targets, int[] sourceLines, IngestionReport report)
    {
        Schema = schema;
        FeatureColumns = [.. schema.FeatureIndices.Select(i => schema.Columns[i])];
        Values = values;
        Targets = targets;
        SourceLines = sourceLines;
        Report = report;
    }

    /// <summary>The schema the extract was read with.</summary>
    public ExtractSchema Schema { get; }

    /// <summary>Feature columns, in file order.</summary>
    public IReadOnlyList<ColumnSchema> FeatureColumns { get; }

    /// <summary>Row-major raw values, rows x <see cref="FeatureColumns"/>.</summary>
    public float[] Values { get; }

    /// <summary>Targets: 0/1 or class index.</summary>
    public float[] Targets { get; }

    /// <summary>1-based line of each row in the source.</summary>
    public int[] SourceLines { get; }

    /// <summary>What happened to every line.</summary>
    public IngestionReport Report { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Targets.Length;

    /// <summary>A table holding the given rows, in order (e.g. a train/test split); the report is shared.</summary>
    public ExtractTable Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var width = FeatureColumns.Count;
        var values = new float[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        {
            Values.AsSpan(rows[i] * width, width).CopyTo(values.AsSpan(i * width));
        }

        return new ExtractTable(Schema, values, [.. rows.Select(r => Targets[r])], [.. rows.Select(r => SourceLines[r])], Report);
    }
}
