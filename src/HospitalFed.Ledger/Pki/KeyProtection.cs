using System.Security.Cryptography;

namespace HospitalFed.Ledger.Pki;

/// <summary>
/// Encrypts private keys at rest as PKCS#8 EncryptedPrivateKeyInfo PEM (RFC 5958 section 3)
/// with PBES2 (RFC 8018 section 6.2): PBKDF2-HMAC-SHA256 and AES-256-CBC.
/// </summary>
public static class KeyProtection
{
    /// <summary>
    /// PBKDF2 iterations: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256 is 600,000;
    /// unlocking the CA key is rare and interactive, so the cost is paid gladly.
    /// </summary>
    public const int Iterations = 600_000;

    private static readonly PbeParameters Pbe = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations);

    /// <summary>Exports <paramref name="key"/> as encrypted PKCS#8 PEM under <paramref name="passphrase"/>.</summary>
    public static string ExportEncryptedPem(ECDsa key, ReadOnlySpan<char> passphrase)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (passphrase.Length < 12)
        {
            throw new PkiException("the passphrase must be at least 12 characters");
        }

        return key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, Pbe);
    }

    /// <summary>Loads a P-256 key from encrypted PKCS#8 PEM.</summary>
    /// <exception cref="PkiException">Wrong passphrase, or the PEM is malformed or not a P-256 key.</exception>
    public static ECDsa ImportEncryptedPem(string pem, ReadOnlySpan<char> passphrase, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromEncryptedPem(pem, passphrase);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new PkiException($"{source}: cannot decrypt the private key (wrong passphrase or not an encrypted PKCS#8 key)", ex);
        }

        return RequireP256(key, source);
    }

    /// <summary>Loads a P-256 key from unencrypted PKCS#8 (or SEC1) PEM.</summary>
    /// <exception cref="PkiException">The PEM is malformed or not a P-256 key.</exception>
    public static ECDsa ImportPem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new PkiException($"{source}: not a readable EC private key ({(pem.Contains("ENCRYPTED", StringComparison.Ordinal) ? "it is encrypted" : "malformed PEM")})", ex);
        }

        return RequireP256(key, source);
    }

    private static ECDsa RequireP256(ECDsa key, string source)
    {
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new PkiException($"{source}: consortium keys are ECDSA P-256");
        }

        return key;
    }
}
