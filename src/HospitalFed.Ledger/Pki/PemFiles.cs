using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Ledger.Pki;

/// <summary>Reads certificates and signing requests from PEM text with errors that name the input.</summary>
internal static class PemFiles
{
    public static X509Certificate2 ReadCertificate(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        try
        {
            return X509CertificateLoader.LoadCertificate(PemDer(pem, "CERTIFICATE", source));
        }
        catch (CryptographicException ex)
        {
            throw new PkiException($"{source}: not a valid X.509 certificate", ex);
        }
    }

    public static byte[] PemDer(string pem, string label, string source)
    {
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual(label))
        {
            throw new PkiException($"{source}: no '-----BEGIN {label}-----' block found");
        }

        try
        {
            return Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException ex)
        {
            throw new PkiException($"{source}: the {label} block is not valid base64", ex);
        }
    }

    public static CertificateRequest ReadSigningRequest(string csrPem)
    {
        ArgumentNullException.ThrowIfNull(csrPem);
        CertificateRequest request;
        try
        {
            // LoadSigningRequestPem checks the request's self-signature: proof that the
            // requester holds the private key (RFC 2986 section 3).
            request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new PkiException("signing request: not a valid PKCS#10 request with a correct self-signature", ex);
        }

        if (request.PublicKey.Oid.Value != "1.2.840.10045.2.1")
        {
            throw new PkiException("signing request: consortium keys are ECDSA P-256");
        }

        using var key = request.PublicKey.GetECDsaPublicKey();
        if (key is null || key.KeySize != 256)
        {
            throw new PkiException("signing request: consortium keys are ECDSA P-256");
        }

        return request;
    }

    public static string CommonName(X500DistinguishedName name)
    {
        var cn = name.EnumerateRelativeDistinguishedNames()
            .Where(r => r.GetSingleElementType().Value == "2.5.4.3")
            .Select(r => r.GetSingleElementValue())
            .ToArray();
        if (cn.Length != 1 || string.IsNullOrWhiteSpace(cn[0]))
        {
            throw new PkiException($"subject '{name.Name}' must carry exactly one common name");
        }

        return ConsortiumAuthority.Escape(cn[0]!);
    }
}
