using HospitalFed.Learning.Internal;

namespace HospitalFed.Learning.Data;

/// <summary>
/// The declared shape of a CSV/TSV extract: format, columns in file order, target and
/// standardisation. Loaded from JSON (see docs/learning.md); immutable once validated.
/// </summary>
public sealed record ExtractSchema
{
    /// <summary>Field separator, one character: <c>","</c> (the default) or <c>"\t"</c>.</summary>
    public string Delimiter { get; init; } = ",";

    /// <summary>Whether the first line is a header naming the columns in schema order; default false.</summary>
    public bool Header { get; init; }

    /// <summary>Field values meaning "missing" (compared after trimming spaces); default <c>?</c>, <c>NA</c> and the empty field.</summary>
    public IReadOnlyList<string> MissingTokens { get; init; } = ["?", "NA", ""];

    /// <summary>Columns in file order.</summary>
    public required IReadOnlyList<ColumnSchema> Columns { get; init; }

    /// <summary>The prediction target.</summary>
    public required TargetSchema Target { get; init; }

    /// <summary>Which features are standardised; default <see cref="StandardizeMode.All"/> (see docs/learning.md, section 1, on why).</summary>
    public StandardizeMode Standardize { get; init; } = StandardizeMode.All;

    /// <summary>
    /// What a site does with a malformed row of its extracts: <see cref="BadRowPolicy.Fail"/>
    /// (<c>"fail"</c>, the default: the site refuses to start, naming the first bad row) or
    /// <see cref="BadRowPolicy.Reject"/> (<c>"skip"</c>: bad rows are counted, the count is logged
    /// without values, and the site trains on the valid rows). <c>hfed site check</c> lists them either way.
    /// </summary>
    public BadRowPolicy BadRows { get; init; } = BadRowPolicy.Fail;

    /// <summary>Parses and validates a schema from JSON.</summary>
    /// <exception cref="SchemaException">The JSON is malformed or the schema is inconsistent.</exception>
    public static ExtractSchema Parse(string json)
    {
        var schema = StrictJson.Parse<ExtractSchema>(json, "Schema");
        schema.Validate();
        return schema;
    }

    /// <summary>Reads and validates a schema file.</summary>
    /// <exception cref="SchemaException">The file's JSON is malformed or inconsistent.</exception>
    public static ExtractSchema Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (SchemaException e)
        {
            throw new SchemaException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Index of the target column.</summary>
    internal int TargetIndex => Columns.ToList().FindIndex(c => c.Name == Target.Column);

    /// <summary>Names of the feature columns (not ignored, not the target), in file order: what a training plan's <c>features</c> lists.</summary>
    public IReadOnlyList<string> FeatureColumns => [.. FeatureIndices.Select(i => Columns[i].Name)];

    /// <summary>Indices of the feature columns (not ignored, not the target), in file order.</summary>
    internal int[] FeatureIndices =>
        [.. Enumerable.Range(0, Columns.Count).Where(i => Columns[i].Type != ColumnType.Ignore && Columns[i].Name != Target.Column)];

    /// <summary>Throws <see cref="SchemaException"/> naming the first inconsistency.</summary>
    public void Validate()
    {
        if (Delimiter is not { Length: 1 } || Delimiter[0] is '"' or '\n' or '\r' || Delimiter[0] > 127)
        {
            throw new SchemaException($"delimiter must be one ASCII character other than a quote or newline, got \"{Delimiter}\".");
        }

        if (Columns is null || Columns.Count == 0)
        {
            throw new SchemaException("columns must list at least one column.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Columns.Count; i++)
        {
            var c = Columns[i] ?? throw new SchemaException($"columns[{i}] is null.");
            var where = $"columns[{i}] ('{c.Name}')";
            if (string.IsNullOrWhiteSpace(c.Name) || !names.Add(c.Name))
            {
                throw new SchemaException($"{where}: names must be non-empty and unique.");
            }

            if (c.Type == ColumnType.Categorical && (c.Levels.Count < 2 || c.Levels.Distinct(StringComparer.Ordinal).Count() != c.Levels.Count))
            {
                throw new SchemaException($"{where}: a categorical column needs at least two distinct levels.");
            }

            if (c.Type != ColumnType.Categorical && c.Levels.Count > 0)
            {
                throw new SchemaException($"{where}: only categorical columns have levels.");
            }

            if (c.Minimum > c.Maximum)
            {
                throw new SchemaException($"{where}: minimum {c.Minimum} exceeds maximum {c.Maximum}.");
            }
        }

        if (Target is null || !names.Contains(Target.Column))
        {
            throw new SchemaException($"target.column '{Target?.Column}' is not one of the columns.");
        }

        if (Columns[TargetIndex].Type == ColumnType.Ignore)
        {
            throw new SchemaException($"target.column '{Target.Column}' is declared as ignored.");
        }

        switch (Target.Kind)
        {
            case TargetKind.Binary when (Target.GreaterThan is null) == (Target.PositiveValues.Count == 0):
                throw new SchemaException("A binary target needs exactly one of target.greaterThan or target.positiveValues.");
            case TargetKind.Multiclass when Target.Classes.Count < 2:
                throw new SchemaException("A multiclass target needs at least two target.classes.");
            default:
                break;
        }

        if (FeatureIndices.Length == 0)
        {
            throw new SchemaException("The schema declares no feature column.");
        }
    }
}
