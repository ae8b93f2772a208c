using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Tests.Identity;

/// <summary>A throwaway consortium CA for tests: issues P-256 party certificates with a role.</summary>
internal sealed class TestConsortium : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestConsortium(string name = "Test Consortium Root")
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    public X509Certificate2 Root { get; }

    public ConsortiumTrust Trust(IRevocationSource? revocation = null) =>
        new(X509CertificateLoader.LoadCertificate(Root.RawData), revocation ?? RevokedSerials.None);

    /// <summary>Issues a certificate and returns the identity holding its private key.</summary>
    public SigningIdentity Issue(string name, ConsortiumRole? role, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (role is { } r)
        {
            request.CertificateExtensions.Add(ConsortiumRoleExtension.Create(r));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var cert = request.Create(Root, notBefore ?? DateTimeOffset.UtcNow.AddHours(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1), serial);
        return new SigningIdentity(X509CertificateLoader.LoadCertificate(cert.RawData), key);
    }

    public void Dispose()
    {
        _caKey.Dispose();
        Root.Dispose();
    }
}
