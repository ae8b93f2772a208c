using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>A throwaway consortium CA and site identities for secure-aggregation benchmarks.</summary>
internal sealed class BenchConsortium : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _root;

    public BenchConsortium(int sites)
    {
        var request = new CertificateRequest("CN=Bench Root", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        _root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Trust = new ConsortiumTrust(X509CertificateLoader.LoadCertificate(_root.RawData), RevokedSerials.None);
        Identities = Enumerable.Range(0, sites).Select(i => Issue($"site-{i:D2}")).ToArray();
    }

    public ConsortiumTrust Trust { get; }

    public SigningIdentity[] Identities { get; }

    public void Dispose()
    {
        foreach (var identity in Identities)
        {
            identity.Dispose();
        }

        _root.Dispose();
        _caKey.Dispose();
    }

    private SigningIdentity Issue(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(ConsortiumRoleExtension.Create(ConsortiumRole.Site));
        using var cert = request.Create(_root, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        return new SigningIdentity(X509CertificateLoader.LoadCertificate(cert.RawData), key);
    }
}
