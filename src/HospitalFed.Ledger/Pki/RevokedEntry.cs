namespace HospitalFed.Ledger.Pki;

/// <summary>One revoked certificate in a CRL.</summary>
/// <param name="SerialNumber">The certificate serial number, upper-case hex as <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.SerialNumber"/> prints it.</param>
/// <param name="RevokedAt">The revocation time.</param>
public sealed record RevokedEntry(string SerialNumber, DateTimeOffset RevokedAt);
