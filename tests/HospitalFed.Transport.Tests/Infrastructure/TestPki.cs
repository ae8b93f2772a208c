using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>A throwaway CA issuing P-256 server and client certificates for loopback TLS tests.</summary>
internal sealed class TestPki : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestPki(string name)
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        Root = X509CertificateLoader.LoadCertificate(withKey.RawData);
        Server = Issue("node.test", ServerAuth, DateTimeOffset.UtcNow.AddYears(1));
        Client = Issue("site-a.test", ClientAuth, DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2Collection Bundle => [Root];

    public X509Certificate2 Issue(string name, Oid usage, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issuer = Root.CopyWithPrivateKey(_caKey);
        using var cert = request.Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), notAfter, serial);
        using var withKey = cert.CopyWithPrivateKey(key);
        return CertificateBundle.ForTls(withKey);
    }

    /// <summary>Writes the root, and a certificate with its key, as PEM files (for the python peer).</summary>
    public void WritePem(string directory, X509Certificate2 certificate, string name)
    {
        File.WriteAllText(Path.Combine(directory, "ca.pem"), Root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, name + ".pem"), certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(Path.Combine(directory, name + ".key"), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        _caKey.Dispose();
        Root.Dispose();
        Server.Dispose();
        Client.Dispose();
    }
}
