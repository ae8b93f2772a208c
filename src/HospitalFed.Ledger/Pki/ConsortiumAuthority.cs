using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Ledger.Pki;

/// <summary>
/// The consortium certificate authority: a self-signed ECDSA P-256 root that issues party
/// certificates carrying a <see cref="ConsortiumRole"/> and signs the consortium's certificate
/// revocation list. Holds the CA private key: dispose it as soon as the operation is done.
/// Performs no I/O; <c>hfed pki</c> moves the PEM text to and from files.
/// </summary>
public sealed class ConsortiumAuthority : IDisposable
{
    private readonly ECDsa _key;
    private readonly X509Certificate2 _signer;
    private readonly TimeProvider _time;
    private bool _disposed;

    private ConsortiumAuthority(X509Certificate2 certificate, ECDsa key, TimeProvider time)
    {
        Certificate = certificate;
        _key = key;
        _signer = certificate.CopyWithPrivateKey(key);
        _time = time;
    }

    /// <summary>The root certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's name: the root certificate's common name.</summary>
    public string Name => Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>Creates a new consortium root valid for <paramref name="validity"/> from now.</summary>
    public static ConsortiumAuthority Create(string name, TimeSpan validity, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        time ??= TimeProvider.System;
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true)); // path length 0: no sub-CAs
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var withKey = request.CreateSelfSigned(now.AddMinutes(-5), now + validity);
        var certificate = X509CertificateLoader.LoadCertificate(withKey.RawData);
        return new ConsortiumAuthority(certificate, key, time);
    }

    /// <summary>Loads the CA from its certificate PEM and its encrypted private key PEM.</summary>
    /// <exception cref="PkiException">The passphrase is wrong or the files do not belong together.</exception>
    public static ConsortiumAuthority Load(string certificatePem, string encryptedKeyPem, ReadOnlySpan<char> passphrase, TimeProvider? time = null)
    {
        var certificate = PemFiles.ReadCertificate(certificatePem, "CA certificate");
        var key = KeyProtection.ImportEncryptedPem(encryptedKeyPem, passphrase, "CA key");
        using var certKey = certificate.GetECDsaPublicKey();
        var a = certKey?.ExportParameters(false).Q;
        var b = key.ExportParameters(false).Q;
        if (a is null || !CryptographicOperations.FixedTimeEquals(a.Value.X, b.X) || !CryptographicOperations.FixedTimeEquals(a.Value.Y, b.Y))
        {
            key.Dispose();
            throw new PkiException("the CA key does not match the CA certificate");
        }

        return new ConsortiumAuthority(certificate, key, time ?? TimeProvider.System);
    }

    /// <summary>Exports the private key encrypted under <paramref name="passphrase"/> (see <see cref="KeyProtection"/>).</summary>
    public string ExportEncryptedKeyPem(ReadOnlySpan<char> passphrase)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return KeyProtection.ExportEncryptedPem(_key, passphrase);
    }

    /// <summary>
    /// Issues a certificate for the key in <paramref name="csrPem"/>. The CSR's self-signature is
    /// checked (proof of possession) but none of its requested extensions are honoured: the CA
    /// sets the name, role, key usage and validity itself.
    /// </summary>
    /// <param name="csrPem">The party's PKCS#10 request; only its public key and common name are used.</param>
    /// <param name="role">The role to grant.</param>
    /// <param name="validity">How long the certificate is valid; clamped to the root's own expiry.</param>
    /// <param name="dnsNames">DNS names for the subject alternative name (servers reached over mTLS).</param>
    public X509Certificate2 Issue(string csrPem, ConsortiumRole role, TimeSpan validity, IEnumerable<string>? dnsNames = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var request = PemFiles.ReadSigningRequest(csrPem);
        var commonName = PemFiles.CommonName(request.SubjectName);
        var issued = new CertificateRequest(new X500DistinguishedName($"CN={Escape(commonName)}"), request.PublicKey, HashAlgorithmName.SHA256);
        issued.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        issued.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        issued.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.1")], false)); // clientAuth, serverAuth for mTLS
        issued.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(issued.PublicKey, false));
        issued.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        issued.CertificateExtensions.Add(ConsortiumRoleExtension.Create(role));
        var san = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var dns in dnsNames ?? [])
        {
            san.AddDnsName(dns);
            any = true;
        }

        if (any)
        {
            issued.CertificateExtensions.Add(san.Build());
        }

        var now = _time.GetUtcNow();
        var notAfter = now + validity;
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        // RFC 5280 section 4.1.2.2: positive, at most 20 octets; 16 random bytes are unique in practice.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        using var certificate = issued.Create(_signer, now.AddMinutes(-5), notAfter, serial);
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>
    /// Re-issues <paramref name="current"/>'s name and role for the new key in <paramref name="csrPem"/>
    /// and revokes the old certificate as superseded in <paramref name="crlPem"/>; nothing else in
    /// the consortium changes (the root, the other parties and their certificates stay as they are).
    /// </summary>
    /// <returns>The new certificate and the updated CRL.</returns>
    public (X509Certificate2 Certificate, string CrlPem) Rotate(X509Certificate2 current, string csrPem, string? crlPem, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!ConsortiumRoleExtension.TryRead(current, out var role))
        {
            throw new PkiException($"certificate '{current.Subject}' carries no consortium role");
        }

        var request = PemFiles.ReadSigningRequest(csrPem);
        var oldName = current.GetNameInfo(X509NameType.SimpleName, false);
        var newName = PemFiles.CommonName(request.SubjectName);
        if (!string.Equals(oldName, newName, StringComparison.Ordinal))
        {
            throw new PkiException($"rotation keeps the party's name: the request names '{newName}', the certificate '{oldName}'");
        }

        var dns = current.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToArray();
        var issued = Issue(csrPem, role, validity, dns);
        var crl = Revoke(crlPem, current, X509RevocationReason.Superseded);
        return (issued, crl);
    }

    /// <summary>
    /// Adds <paramref name="certificate"/> to the CRL (creating it when <paramref name="crlPem"/> is
    /// null) and signs the next CRL (RFC 5280 section 5) with an incremented CRL number. A
    /// certificate the CRL already lists keeps its first revocation time and reason: it is never
    /// listed twice (check <see cref="CertificateRevocationList.TryGetRevocation"/> first to skip the re-signing).
    /// </summary>
    public string Revoke(string? crlPem, X509Certificate2 certificate, X509RevocationReason reason = X509RevocationReason.Unspecified)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var listed = crlPem is not null && CertificateRevocationList.ParseAndVerify(crlPem, Certificate).TryGetRevocation(certificate.SerialNumber, out _);
        return Publish(crlPem, listed ? null : builder => builder.AddEntry(certificate, _time.GetUtcNow(), reason));
    }

    /// <summary>
    /// Signs a CRL with the current entries of <paramref name="crlPem"/> (or none) and a new CRL
    /// number. A serial the current CRL lists more than once (see
    /// <see cref="CertificateRevocationList.DuplicatedSerials"/>) is re-issued once, from its
    /// earliest time with that entry's reason, so <c>hfed pki crl</c> repairs such a CRL.
    /// </summary>
    /// <param name="crlPem">The current CRL, or null to start an empty one.</param>
    /// <param name="change">Optional change to apply before signing.</param>
    /// <param name="nextUpdate">How long the CRL stays current; 30 days when null.</param>
    public string Publish(string? crlPem, Action<CertificateRevocationListBuilder>? change = null, TimeSpan? nextUpdate = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        BigInteger number = 0;
        CertificateRevocationListBuilder builder;
        if (crlPem is null)
        {
            builder = new CertificateRevocationListBuilder();
        }
        else
        {
            // Verify our own CRL before extending it, so a tampered file is never re-signed.
            var current = CertificateRevocationList.ParseAndVerify(crlPem, Certificate);
            builder = CertificateRevocationListBuilder.LoadPem(crlPem, out number);
            foreach (var serial in current.DuplicatedSerials)
            {
                var bytes = Convert.FromHexString(serial);
                while (builder.RemoveEntry(bytes))
                {
                    // each call removes one listing; loop until none is left, then add the earliest back once
                }

                var kept = current.Entries.Single(e => string.Equals(e.SerialNumber, serial, StringComparison.Ordinal));
                builder.AddEntry(bytes, kept.RevokedAt, kept.Reason);
            }
        }

        change?.Invoke(builder);
        var now = _time.GetUtcNow();
        var der = builder.Build(_signer, number + 1, now + (nextUpdate ?? TimeSpan.FromDays(30)), HashAlgorithmName.SHA256, null, now);
        return PemEncoding.WriteString("X509 CRL", der);
    }

    /// <summary>
    /// Returns an identity that signs with the CA key, used only to sign the consortium
    /// configuration (admin set and approval threshold) that auditors check against the root.
    /// The caller disposes it; it holds its own copy of the key.
    /// </summary>
    public SigningIdentity SigningIdentity()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var parameters = _key.ExportParameters(true);
        try
        {
            return new SigningIdentity(Certificate, ECDsa.Create(parameters));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _key.Dispose();
        _signer.Dispose();
        Certificate.Dispose();
    }

    internal static string Escape(string name)
    {
        if (name.Length == 0 || name.Length > 64 || name.Any(c => char.IsControl(c) || c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' or '='))
        {
            throw new PkiException($"'{name}' is not a valid consortium name (1-64 characters, no control characters or any of , + \" \\ < > ; =)");
        }

        return name;
    }
}
