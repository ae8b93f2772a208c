using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Crypto.Identity;

/// <summary>
/// Decides whether a certificate belongs to the consortium: it chains to the consortium root
/// (and nothing else: the operating system's trust store is ignored), is valid at the given
/// time, is not revoked, and carries the expected <see cref="ConsortiumRole"/>. Also verifies
/// signatures made by <see cref="SigningIdentity"/>. Holds no secrets and does no I/O.
/// </summary>
public sealed class ConsortiumTrust
{
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2Collection _intermediates;
    private readonly IRevocationSource _revocation;

    /// <summary>Creates the trust decision for one consortium.</summary>
    /// <param name="root">The consortium root CA certificate, the only trust anchor.</param>
    /// <param name="revocation">The consortium's revocation list; <see cref="RevokedSerials.None"/> if none.</param>
    /// <param name="intermediates">Intermediate CA certificates, if the consortium uses any.</param>
    public ConsortiumTrust(X509Certificate2 root, IRevocationSource revocation, IEnumerable<X509Certificate2>? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(revocation);
        _root = root;
        _revocation = revocation;
        _intermediates = new X509Certificate2Collection((intermediates ?? []).ToArray());
    }

    /// <summary>The consortium root certificate.</summary>
    public X509Certificate2 Root => _root;

    /// <summary>The consortium's revocation list this trust checks against.</summary>
    public IRevocationSource Revocation => _revocation;

    /// <summary>Validates <paramref name="certificate"/> as a party with role <paramref name="expectedRole"/>.</summary>
    /// <param name="certificate">The certificate presented (public part only).</param>
    /// <param name="expectedRole">The role the party must hold.</param>
    /// <param name="at">The time at which the certificate must be valid and unrevoked.</param>
    /// <param name="expectedName">If given, the common name the certificate must carry.</param>
    /// <exception cref="IdentityException">The certificate is refused; the message says why.</exception>
    public PartyIdentity Validate(X509Certificate2 certificate, ConsortiumRole expectedRole, DateTimeOffset at, string? expectedName = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var subject = certificate.Subject;
        using (var chain = new X509Chain())
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(_root);
            chain.ChainPolicy.ExtraStore.AddRange(_intermediates);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // the consortium CRL is checked below
            chain.ChainPolicy.VerificationTime = at.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            if (!chain.Build(certificate))
            {
                var reasons = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                throw new IdentityException($"certificate '{subject}' does not chain to the consortium root '{_root.Subject}' at {at:u}: {reasons}");
            }

            foreach (var element in chain.ChainElements)
            {
                if (_revocation.IsRevoked(element.Certificate, at))
                {
                    throw new IdentityException($"certificate '{element.Certificate.Subject}' (serial {element.Certificate.SerialNumber}) is revoked by the consortium");
                }
            }
        }

        if (!ConsortiumRoleExtension.TryRead(certificate, out var role))
        {
            throw new IdentityException($"certificate '{subject}' carries no valid consortium role extension ({ConsortiumRoleExtension.Oid})");
        }

        if (role != expectedRole)
        {
            throw new IdentityException($"certificate '{subject}' has role '{ConsortiumRoleExtension.ToName(role)}', expected '{ConsortiumRoleExtension.ToName(expectedRole)}'");
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (string.IsNullOrEmpty(name))
        {
            throw new IdentityException($"certificate '{subject}' has no common name");
        }

        if (expectedName is not null && !string.Equals(name, expectedName, StringComparison.Ordinal))
        {
            throw new IdentityException($"certificate '{subject}' names '{name}', expected '{expectedName}'");
        }

        return new PartyIdentity(name, role, certificate);
    }

    /// <summary>
    /// Verifies a signature made by <see cref="SigningIdentity.Sign(string, MessageBinding, ReadOnlySpan{byte})"/>: the signer's certificate
    /// must pass <see cref="Validate"/>, its name must be <paramref name="binding"/>'s sender, and the
    /// ECDSA P-256 signature must cover the transcript of purpose, binding and payload.
    /// </summary>
    /// <exception cref="IdentityException">The certificate or the signature is refused.</exception>
    public PartyIdentity VerifySignature(
        X509Certificate2 signer,
        ConsortiumRole expectedRole,
        DateTimeOffset at,
        string purpose,
        MessageBinding binding,
        ReadOnlySpan<byte> payload,
        ReadOnlySpan<byte> signature)
    {
        var party = Validate(signer, expectedRole, at, binding.Sender);
        if (!VerifyWithKey(signer, purpose, binding, payload, signature))
        {
            throw new IdentityException($"signature by '{party.Name}' on '{purpose}' for plan {binding.PlanId} round {binding.Round} to '{binding.Recipient}' is invalid");
        }

        return party;
    }

    /// <summary>
    /// Checks only the signature, with the public key of an already validated certificate.
    /// Returns <see langword="false"/> for any mismatch, including a malformed signature.
    /// </summary>
    public static bool VerifyWithKey(X509Certificate2 signer, string purpose, MessageBinding binding, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature) =>
        VerifyWithKey(signer, purpose, binding, payload, [], signature);

    /// <summary>
    /// <see cref="VerifyWithKey(X509Certificate2, string, MessageBinding, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    /// for the payload <paramref name="head"/> followed by <paramref name="body"/>, without copying them together.
    /// </summary>
    public static bool VerifyWithKey(X509Certificate2 signer, string purpose, MessageBinding binding, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(signer);
        using var key = signer.GetECDsaPublicKey()
            ?? throw new IdentityException($"certificate '{signer.Subject}' does not hold an ECDSA key");
        if (key.KeySize != 256 || signature.Length != SigningIdentity.SignatureSize)
        {
            return false;
        }

        return key.VerifyHash(SigningTranscript.Hash(purpose, binding, head, body), signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
