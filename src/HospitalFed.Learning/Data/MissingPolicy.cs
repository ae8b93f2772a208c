namespace HospitalFed.Learning.Data;

/// <summary>What to do when a feature value is missing (a missing token, an empty field or a sentinel).</summary>
public enum MissingPolicy
{
    /// <summary>The row is bad: the load fails or the row is rejected, per <see cref="BadRowPolicy"/>. The default.</summary>
    Reject,

    /// <summary>Drop the row; the count per column is in <see cref="IngestionReport.DroppedForMissing"/>.</summary>
    DropRow,

    /// <summary>Replace with the (possibly federated) training mean; all-zero one-hot for a categorical column.</summary>
    Impute,

    /// <summary>As <see cref="Impute"/>, plus a 0/1 feature <c>&lt;name&gt;_missing</c>.</summary>
    Indicator,
}
