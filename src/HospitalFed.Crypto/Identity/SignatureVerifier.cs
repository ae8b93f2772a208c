using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Crypto.Identity;

/// <summary>
/// Checks many <see cref="SigningIdentity"/> signatures by one already validated certificate,
/// importing its public key once instead of once per signature (what
/// <see cref="ConsortiumTrust.VerifyWithKey(System.Security.Cryptography.X509Certificates.X509Certificate2, string, MessageBinding, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> does). Same transcript, same rules: it is a cache,
/// not a second scheme. Thread-safe for concurrent <see cref="Verify"/> calls. Dispose to release the key.
/// </summary>
public sealed class SignatureVerifier : IDisposable
{
    private readonly ECDsa _key;

    /// <summary>Imports the public key of <paramref name="signer"/>.</summary>
    /// <exception cref="IdentityException">The certificate does not hold an ECDSA P-256 key.</exception>
    public SignatureVerifier(X509Certificate2 signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        _key = signer.GetECDsaPublicKey() ?? throw new IdentityException($"certificate '{signer.Subject}' does not hold an ECDSA key");
        if (_key.KeySize != 256)
        {
            _key.Dispose();
            throw new IdentityException($"certificate '{signer.Subject}' does not hold a P-256 key");
        }
    }

    /// <summary>Returns whether <paramref name="signature"/> covers the transcript of purpose, binding and payload.</summary>
    public bool Verify(string purpose, MessageBinding binding, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SigningIdentity.SignatureSize)
        {
            return false;
        }

        return _key.VerifyHash(SigningTranscript.Hash(purpose, binding, payload), signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
