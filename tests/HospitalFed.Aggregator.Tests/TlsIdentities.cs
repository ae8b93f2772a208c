using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Pki;
using HospitalFed.Transport;

namespace HospitalFed.Aggregator.Tests;

/// <summary>Issues TLS certificates (with keys) the way <c>hfed pki</c> does, for loopback mutual TLS.</summary>
internal static class TlsIdentities
{
    public static X509Certificate2 Issue(ConsortiumAuthority authority, string name, ConsortiumRole role)
    {
        var (keyPem, csrPem) = SiteEnrollment.CreateRequest(name);
        using var certificate = authority.Issue(csrPem, role, TimeSpan.FromDays(1), ["localhost"]);
        using var key = KeyProtection.ImportPem(keyPem, name);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return CertificateBundle.ForTls(withKey);
    }
}
