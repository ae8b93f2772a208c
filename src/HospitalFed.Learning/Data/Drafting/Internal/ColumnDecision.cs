namespace HospitalFed.Learning.Data.Drafting.Internal;

/// <summary>How the draft declares one column, and the one-line comment written above it.</summary>
internal sealed record ColumnDecision(string Name, ColumnType Type, IReadOnlyList<string> Levels, double? Minimum, double? Maximum, MissingPolicy Missing, string Comment);
