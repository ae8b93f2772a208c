namespace HospitalFed.Learning.Data;

/// <summary>What a malformed row does to a load.</summary>
public enum BadRowPolicy
{
    /// <summary>The first malformed row fails the load with an <see cref="ExtractFormatException"/>. The default.</summary>
    Fail,

    /// <summary>Malformed rows are rejected, counted and listed in the <see cref="IngestionReport"/>; every valid row is used.</summary>
    Reject,
}
