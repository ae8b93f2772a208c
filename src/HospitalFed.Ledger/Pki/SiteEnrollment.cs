using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Ledger.Pki;

/// <summary>
/// The party side of enrollment: generate an ECDSA P-256 key where it will be used and a
/// PKCS#10 request carrying only the public key and the party's name. The private key never
/// leaves the party; the CA sees only the request.
/// </summary>
public static class SiteEnrollment
{
    /// <summary>Generates a key and a signing request for <paramref name="name"/>.</summary>
    /// <returns>The private key as PKCS#8 PEM (encrypted when <paramref name="passphrase"/> is given) and the request as PEM.</returns>
    public static (string KeyPem, string CsrPem) CreateRequest(string name, ReadOnlySpan<char> passphrase = default)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={ConsortiumAuthority.Escape(name)}"), key, HashAlgorithmName.SHA256);
        var csr = request.CreateSigningRequestPem();
        var keyPem = passphrase.IsEmpty ? key.ExportPkcs8PrivateKeyPem() : KeyProtection.ExportEncryptedPem(key, passphrase);
        return (keyPem, csr);
    }
}
