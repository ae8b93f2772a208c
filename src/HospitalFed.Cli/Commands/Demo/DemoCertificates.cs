using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Transport;

namespace HospitalFed.Cli.Commands.Demo;

/// <summary>
/// A throwaway consortium CA with one server and one client certificate (ECDSA P-256), minted in memory
/// for the demo and never written to disk. Real nodes use certificates issued by the consortium CA.
/// </summary>
internal sealed class DemoCertificates : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private DemoCertificates(X509Certificate2 root, X509Certificate2 server, X509Certificate2 client)
    {
        Root = root;
        Server = server;
        Client = client;
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public static DemoCertificates Create(TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=HospitalFed Demo Consortium CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var root = X509CertificateLoader.LoadCertificate(ca.RawData);
        return new DemoCertificates(
            root,
            Issue(ca, "demo-aggregator", ServerAuthentication, now),
            Issue(ca, "demo-site", ClientAuthentication, now));
    }

    public void Dispose()
    {
        Root.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, Oid usage, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return CertificateBundle.ForTls(withKey);
    }
}
