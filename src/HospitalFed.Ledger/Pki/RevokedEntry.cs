using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Ledger.Pki;

/// <summary>One revoked certificate in a CRL.</summary>
/// <param name="SerialNumber">The certificate serial number, upper-case hex as <see cref="X509Certificate2.SerialNumber"/> prints it.</param>
/// <param name="RevokedAt">The revocation time.</param>
public sealed record RevokedEntry(string SerialNumber, DateTimeOffset RevokedAt)
{
    /// <summary>The reason code of the entry (RFC 5280 section 5.3.1); null when the CRL states none.</summary>
    public X509RevocationReason? Reason { get; init; }
}
