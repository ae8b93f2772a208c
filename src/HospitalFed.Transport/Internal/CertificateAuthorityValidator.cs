using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Transport.Internal;

/// <summary>
/// Validates a TLS peer's certificate against the configured CA bundle only ("custom root trust"):
/// the operating system's trust store is ignored, no certificate is downloaded, and the certificate
/// must be valid for the peer's role (extended key usage serverAuth or clientAuth, RFC 5280 4.2.1.12).
/// </summary>
internal sealed class CertificateAuthorityValidator
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2Collection _authorities;
    private readonly TimeProvider _time;
    private readonly Oid _usage;

    private CertificateAuthorityValidator(X509Certificate2Collection authorities, TimeProvider time, Oid usage)
    {
        _authorities = authorities;
        _time = time;
        _usage = usage;
    }

    public static CertificateAuthorityValidator ForServers(X509Certificate2Collection authorities, TimeProvider time) => new(authorities, time, ServerAuthentication);

    public static CertificateAuthorityValidator ForClients(X509Certificate2Collection authorities, TimeProvider time) => new(authorities, time, ClientAuthentication);

    /// <summary>Decides; on refusal <paramref name="reason"/> says why in one line, without key material.</summary>
    public bool TryValidate(X509Certificate? certificate, SslPolicyErrors errors, out string reason)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reason = "no certificate was presented";
            return false;
        }

        // Only a client checks names; the server's policy errors never carry this flag.
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reason = $"certificate '{certificate.Subject}' is not issued for the address that was called";
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // the consortium's own revocation list is applied above the transport
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(_usage);
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        try
        {
            if (chain.Build(leaf))
            {
                reason = string.Empty;
                return true;
            }

            var problems = chain.ChainStatus.Select(s => s.Status == X509ChainStatusFlags.UntrustedRoot || s.Status == X509ChainStatusFlags.PartialChain
                    ? "it is not issued by a trusted CA"
                    : s.StatusInformation.Trim().TrimEnd('.'))
                .Where(s => s.Length > 0)
                .Distinct();
            reason = $"certificate '{leaf.Subject}' was refused: {string.Join("; ", problems)}";
            return false;
        }
        finally
        {
            if (!ReferenceEquals(leaf, certificate))
            {
                leaf.Dispose();
            }
        }
    }
}
