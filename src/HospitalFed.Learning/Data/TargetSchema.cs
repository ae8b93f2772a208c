namespace HospitalFed.Learning.Data;

/// <summary>The prediction target and how it is derived from its column.</summary>
public sealed record TargetSchema
{
    /// <summary>Name of the target column.</summary>
    public required string Column { get; init; }

    /// <summary>Binary or multiclass; default binary.</summary>
    public TargetKind Kind { get; init; } = TargetKind.Binary;

    /// <summary>Binary: the row is positive when the numeric value exceeds this (e.g. <c>num &gt; 0</c>).</summary>
    public double? GreaterThan { get; init; }

    /// <summary>Binary: the row is positive when the value is one of these (compared as for categorical levels).</summary>
    public IReadOnlyList<string> PositiveValues { get; init; } = [];

    /// <summary>Multiclass: the classes in index order.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];
}
