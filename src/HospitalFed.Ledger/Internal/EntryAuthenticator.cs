using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Ledger.Internal;

/// <summary>
/// Checks that an entry's author holds a consortium certificate with a role allowed for the
/// entry kind, valid and unrevoked at the entry's time, and that the signature verifies.
/// A certificate's chain is built once (with <see cref="ConsortiumTrust"/>); later entries by
/// the same certificate re-check only what depends on time: the validity windows of the
/// certificate and the root, and revocation. That keeps a 10,000-entry audit linear in
/// signature checks instead of chain builds.
/// </summary>
internal sealed class EntryAuthenticator
{
    private readonly ConsortiumTrust _trust;
    private readonly IRevocationSource _revocation;
    private readonly Dictionary<string, X509Certificate2> _validated = new(StringComparer.Ordinal);
    private readonly Dictionary<X509Certificate2, SignatureVerifier> _verifiers = [];

    public EntryAuthenticator(X509Certificate2 root, IRevocationSource revocation)
    {
        _trust = new ConsortiumTrust(root, revocation);
        _revocation = revocation;
    }

    public X509Certificate2 Root => _trust.Root;

    /// <summary>Authenticates <paramref name="entry"/>; returns the author's role.</summary>
    /// <exception cref="IdentityException">The certificate or the signature is refused.</exception>
    public ConsortiumRole Authenticate(LogEntry entry) => Authenticate(entry, entry.Time);

    /// <summary>Checks the certificate at <paramref name="at"/> (and its signature on the entry).</summary>
    public ConsortiumRole Authenticate(LogEntry entry, DateTimeOffset at)
    {
        var certificate = Certificate(entry, at);
        if (!Verifier(certificate).Verify(LogEntryKinds.Purpose(entry.Kind), entry.Binding, entry.SignedPayload(), entry.Signature))
        {
            throw new IdentityException($"signature by '{entry.Author}' on this {LogEntryKinds.Name(entry.Kind)} entry is invalid");
        }

        ConsortiumRoleExtension.TryRead(certificate, out var role);
        return role;
    }

    /// <summary>
    /// The signature checker for a certificate returned by <see cref="Certificate"/>; safe to use
    /// from several threads once obtained.
    /// </summary>
    public SignatureVerifier Verifier(X509Certificate2 certificate)
    {
        if (!_verifiers.TryGetValue(certificate, out var verifier))
        {
            try
            {
                verifier = new SignatureVerifier(certificate);
            }
            catch (CryptographicException ex)
            {
                throw new IdentityException($"certificate '{certificate.Subject}' holds an unusable public key: {ex.Message}", ex);
            }

            _verifiers[certificate] = verifier;
        }

        return verifier;
    }

    /// <summary>Checks only that the author's certificate is valid for the entry at <paramref name="at"/>.</summary>
    public X509Certificate2 Certificate(LogEntry entry, DateTimeOffset at)
    {
        var key = Convert.ToHexString(SHA256.HashData(entry.CertificateDer));
        if (!_validated.TryGetValue(key, out var certificate))
        {
            X509Certificate2 loaded;
            try
            {
                loaded = entry.LoadCertificate();
            }
            catch (CryptographicException ex)
            {
                throw new IdentityException("the author certificate is not a valid X.509 certificate", ex);
            }

            // The loader ignores bytes after the certificate's DER; the log allows one encoding only,
            // or a byte appended to an unsigned field would go unnoticed in entries after the last head.
            if (!loaded.RawData.AsSpan().SequenceEqual(entry.CertificateDer))
            {
                throw new IdentityException($"the author certificate of '{entry.Author}' carries {entry.CertificateDer.Length - loaded.RawData.Length} bytes beyond its DER encoding");
            }

            if (!ConsortiumRoleExtension.TryRead(loaded, out var role))
            {
                throw new IdentityException($"certificate '{loaded.Subject}' carries no valid consortium role extension");
            }

            try
            {
                _trust.Validate(loaded, role, at, entry.Author);
            }
            catch (CryptographicException ex)
            {
                // A certificate that parses but whose contents OpenSSL cannot process.
                throw new IdentityException($"the author certificate of '{entry.Author}' cannot be validated: {ex.Message}", ex);
            }

            _validated[key] = loaded;
            certificate = loaded;
        }
        else
        {
            var name = certificate.GetNameInfo(X509NameType.SimpleName, false);
            if (!string.Equals(name, entry.Author, StringComparison.Ordinal))
            {
                throw new IdentityException($"certificate '{certificate.Subject}' names '{name}', expected '{entry.Author}'");
            }

            var from = Max(certificate.NotBefore, Root.NotBefore);
            var to = Min(certificate.NotAfter, Root.NotAfter);
            if (at < from || at > to)
            {
                throw new IdentityException($"certificate '{certificate.Subject}' is not valid at {at:u} (valid {from:u} to {to:u})");
            }

            if (_revocation.IsRevoked(certificate, at))
            {
                throw new IdentityException($"certificate '{certificate.Subject}' (serial {certificate.SerialNumber}) is revoked by the consortium");
            }
        }

        ConsortiumRoleExtension.TryRead(certificate, out var held);
        var allowed = LogEntryKinds.Authors(entry.Kind);
        if (!allowed.Contains(held))
        {
            throw new IdentityException($"'{entry.Author}' has role '{ConsortiumRoleExtension.ToName(held)}', which may not write {LogEntryKinds.Name(entry.Kind)} entries");
        }

        return certificate;
    }

    private static DateTimeOffset Max(DateTime a, DateTime b) => new(a > b ? a.ToUniversalTime() : b.ToUniversalTime(), TimeSpan.Zero);

    private static DateTimeOffset Min(DateTime a, DateTime b) => new(a < b ? a.ToUniversalTime() : b.ToUniversalTime(), TimeSpan.Zero);
}
