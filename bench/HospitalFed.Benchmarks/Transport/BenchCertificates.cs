using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Transport;

namespace HospitalFed.Benchmarks.Transport;

/// <summary>A throwaway CA, server and client certificate (P-256) for the TLS runs, also written as PEM for grpcio.</summary>
internal static class BenchCertificates
{
    /// <summary>Returns root, server and client certificates; writes ca.pem, server.pem/.key and client.pem/.key into <paramref name="directory"/>.</summary>
    public static X509Certificate2[] Create(string directory)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Bench CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));
        var server = Issue(ca, "localhost", "1.3.6.1.5.5.7.3.1");
        var client = Issue(ca, "bench-client", "1.3.6.1.5.5.7.3.2");
        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());
        foreach (var (name, certificate) in new[] { ("server", server), ("client", client) })
        {
            File.WriteAllText(Path.Combine(directory, name + ".pem"), certificate.ExportCertificatePem());
            using var key = certificate.GetECDsaPrivateKey()!;
            File.WriteAllText(Path.Combine(directory, name + ".key"), key.ExportPkcs8PrivateKeyPem());
        }

        return [X509CertificateLoader.LoadCertificate(ca.RawData), server, client];
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, string usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return CertificateBundle.ForTls(withKey);
    }
}
