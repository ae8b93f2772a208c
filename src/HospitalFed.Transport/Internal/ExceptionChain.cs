using System.Security.Authentication;

namespace HospitalFed.Transport.Internal;

/// <summary>Finds the exception in a chain that says what actually went wrong.</summary>
internal static class ExceptionChain
{
    /// <summary>The innermost exception, stopping at a TLS authentication failure (its inner ones are OpenSSL noise).</summary>
    public static Exception Innermost(Exception exception)
    {
        var current = exception;
        while (current.InnerException is not null && current is not AuthenticationException)
        {
            current = current.InnerException;
        }

        return current;
    }
}
