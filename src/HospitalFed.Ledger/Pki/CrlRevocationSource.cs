using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Ledger.Pki;

/// <summary>
/// An <see cref="IRevocationSource"/> backed by a consortium CRL whose signature was verified
/// against the root. A certificate counts as revoked from its revocation time on, so entries
/// it signed before then still verify, and nothing it signs afterwards does.
/// </summary>
public sealed class CrlRevocationSource : IRevocationSource
{
    private readonly CertificateRevocationList _crl;
    private readonly X509Certificate2 _issuer;

    /// <summary>Creates the source from a verified CRL issued by <paramref name="issuer"/>.</summary>
    public CrlRevocationSource(CertificateRevocationList crl, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(crl);
        ArgumentNullException.ThrowIfNull(issuer);
        _crl = crl;
        _issuer = issuer;
    }

    /// <summary>Parses and verifies <paramref name="crlPem"/> against <paramref name="root"/>.</summary>
    /// <exception cref="PkiException">The CRL is malformed or not signed by the root.</exception>
    public static CrlRevocationSource FromPem(string crlPem, X509Certificate2 root) =>
        new(CertificateRevocationList.ParseAndVerify(crlPem, root), root);

    /// <summary>The CRL behind this source.</summary>
    public CertificateRevocationList Crl => _crl;

    /// <inheritdoc />
    public bool IsRevoked(X509Certificate2 certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        // Serial numbers are unique only per issuer (RFC 5280 section 4.1.2.2).
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(_issuer.SubjectName.RawData))
        {
            return false;
        }

        return _crl.TryGetRevocation(certificate.SerialNumber, out var when) && when <= at;
    }
}
