namespace HospitalFed.Learning.Data;

/// <summary>An extract schema is malformed or inconsistent; the message names the offending setting.</summary>
public sealed class SchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the JSON error that caused it.</summary>
    public SchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
