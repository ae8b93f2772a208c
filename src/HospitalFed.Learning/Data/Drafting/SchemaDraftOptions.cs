namespace HospitalFed.Learning.Data.Drafting;

/// <summary>What the user tells <see cref="SchemaDrafter"/> beyond the extract itself.</summary>
public sealed record SchemaDraftOptions
{
    /// <summary>The target column; null leaves a placeholder target (the last usable column) for the user to set.</summary>
    public string? Target { get; init; }

    /// <summary>Columns that identify patients or records; drafted as <c>ignore</c>. Default none.</summary>
    public IReadOnlyList<string> Identifiers { get; init; } = [];

    /// <summary>Whether the first line is a header naming the columns; default true. Without one, columns are named <c>col1</c>, <c>col2</c>, ...</summary>
    public bool Header { get; init; } = true;
}
