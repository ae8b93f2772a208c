using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Transport;

/// <summary>Loads the PEM files a node is configured with: a CA bundle, a certificate and its key.</summary>
public static class CertificateBundle
{
    /// <summary>Loads every certificate of a PEM CA bundle.</summary>
    /// <param name="path">A file of one or more <c>-----BEGIN CERTIFICATE-----</c> blocks.</param>
    /// <returns>The certificates, in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file holds no certificate or a malformed one.</exception>
    public static X509Certificate2Collection LoadCaBundle(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CA bundle '{path}' does not exist.", path);
        }

        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(path);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"CA bundle '{path}' is not a valid PEM certificate file: {ex.Message}", ex);
        }

        return bundle.Count > 0 ? bundle : throw new InvalidDataException($"CA bundle '{path}' contains no PEM certificate.");
    }

    /// <summary>Loads a certificate and its private key from PEM files, usable for TLS on every platform.</summary>
    /// <param name="certificatePath">The PEM certificate.</param>
    /// <param name="keyPath">The PEM private key (PKCS#8, SEC1 or PKCS#1, unencrypted).</param>
    /// <returns>The certificate with its private key.</returns>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">The files are malformed or the key does not match the certificate.</exception>
    public static X509Certificate2 LoadCertificateWithKey(string certificatePath, string keyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        ArgumentException.ThrowIfNullOrEmpty(keyPath);
        foreach (var path in new[] { certificatePath, keyPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"'{path}' does not exist.", path);
            }
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return ForTls(pem);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"Could not load certificate '{certificatePath}' with key '{keyPath}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Re-imports a certificate with an ephemeral private key through PKCS#12 so that TLS can use the key
    /// on every platform (Windows SChannel refuses ephemeral keys).
    /// </summary>
    /// <param name="certificate">A certificate with its private key.</param>
    /// <returns>An equivalent certificate whose key TLS can use.</returns>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public static X509Certificate2 ForTls(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"Certificate '{certificate.Subject}' has no private key.", nameof(certificate));
        }

        var pfx = certificate.Export(X509ContentType.Pkcs12);
        try
        {
            return X509CertificateLoader.LoadPkcs12(pfx, password: null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }
    }
}
