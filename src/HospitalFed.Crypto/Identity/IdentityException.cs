namespace HospitalFed.Crypto.Identity;

/// <summary>
/// A certificate or signature was refused. The message names the party and the rule that failed,
/// for example "certificate 'CN=site-a' is revoked (serial 0A1B...)".
/// </summary>
public sealed class IdentityException : Exception
{
    /// <summary>Creates the exception with a message naming what was refused and why.</summary>
    public IdentityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public IdentityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
