namespace HospitalFed.Learning.Features;

/// <summary>One model input produced by the pipeline.</summary>
/// <param name="Name">Stable name: the column, <c>column=level</c> for one-hot, <c>column_missing</c> for an indicator.</param>
/// <param name="SourceColumn">Index of the feature column (in <see cref="Data.ExtractTable.FeatureColumns"/>) it derives from.</param>
/// <param name="Level">The one-hot level index, or -1.</param>
/// <param name="IsIndicator">True for a missing-value indicator.</param>
/// <param name="Standardized">Whether the pipeline standardises it.</param>
public sealed record EncodedFeature(string Name, int SourceColumn, int Level, bool IsIndicator, bool Standardized);
