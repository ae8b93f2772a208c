using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Crypto.Identity;

/// <summary>Answers whether the consortium has revoked a certificate (backed by the consortium CRL).</summary>
public interface IRevocationSource
{
    /// <summary>Returns <see langword="true"/> if <paramref name="certificate"/> is revoked as of <paramref name="at"/>.</summary>
    bool IsRevoked(X509Certificate2 certificate, DateTimeOffset at);
}
