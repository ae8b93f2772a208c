namespace HospitalFed.Learning.Data;

/// <summary>A malformed row failed a load under <see cref="BadRowPolicy.Fail"/>; <see cref="Exception.Message"/> is <c>file:line:column: ...</c>.</summary>
public sealed class ExtractFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public ExtractFormatException(RowError error)
        : base(error?.ToString())
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>Where and why the row is bad.</summary>
    public RowError Error { get; }
}
