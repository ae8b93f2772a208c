namespace HospitalFed.Ledger.Pki;

/// <summary>A PKI operation was refused or its input was malformed; the message says what and where.</summary>
public sealed class PkiException : Exception
{
    /// <summary>Creates the exception with a message naming what was wrong.</summary>
    public PkiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public PkiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
