namespace HospitalFed.Learning.Data;

/// <summary>The kind of prediction target.</summary>
public enum TargetKind
{
    /// <summary>0/1 label derived from the target column by <see cref="TargetSchema.GreaterThan"/> or <see cref="TargetSchema.PositiveValues"/>.</summary>
    Binary,

    /// <summary>Class index in the order of <see cref="TargetSchema.Classes"/>.</summary>
    Multiclass,
}
