namespace HospitalFed.Learning.Data;

/// <summary>One column of an extract, in file order.</summary>
public sealed record ColumnSchema
{
    /// <summary>Column name; with a header row, must equal the header cell.</summary>
    public required string Name { get; init; }

    /// <summary>How the column is read.</summary>
    public ColumnType Type { get; init; } = ColumnType.Numeric;

    /// <summary>Levels of a categorical column, in one-hot order. Numeric-looking levels match numerically (<c>1</c> matches <c>1.0</c>).</summary>
    public IReadOnlyList<string> Levels { get; init; } = [];

    /// <summary>Drop the first level's one-hot column (it becomes the reference level); default false.</summary>
    public bool DropFirstLevel { get; init; }

    /// <summary>Smallest valid value (inclusive), or null for no bound.</summary>
    public double? Minimum { get; init; }

    /// <summary>Largest valid value (inclusive), or null for no bound.</summary>
    public double? Maximum { get; init; }

    /// <summary>Values that mean "missing" in this column (e.g. <c>chol == 0</c>).</summary>
    public IReadOnlyList<double> Sentinels { get; init; } = [];

    /// <summary>What a missing value does; default <see cref="MissingPolicy.Reject"/>.</summary>
    public MissingPolicy Missing { get; init; } = MissingPolicy.Reject;
}
