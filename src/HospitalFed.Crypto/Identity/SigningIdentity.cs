using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Crypto.Identity;

/// <summary>
/// A party's long-term signing identity: its consortium certificate and ECDSA P-256 private key.
/// Signatures are IEEE P1363 (r || s, 64 bytes) over SHA-256 of a <see cref="SigningTranscript"/>,
/// so each one binds purpose, plan, round, sender and recipient. Dispose to release the key.
/// </summary>
public sealed class SigningIdentity : IDisposable
{
    /// <summary>The size in bytes of every signature: r and s of P-256, 32 bytes each.</summary>
    public const int SignatureSize = 64;

    private readonly ECDsa _key;
    private bool _disposed;

    /// <summary>Creates the identity from a certificate and its private key (the key is owned from now on).</summary>
    /// <exception cref="ArgumentException">The key is not P-256 or does not match the certificate.</exception>
    public SigningIdentity(X509Certificate2 certificate, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.KeySize != 256)
        {
            throw new ArgumentException($"identity keys are ECDSA P-256; got a {privateKey.KeySize}-bit key", nameof(privateKey));
        }

        using var certKey = certificate.GetECDsaPublicKey()
            ?? throw new ArgumentException($"certificate '{certificate.Subject}' does not hold an ECDSA key", nameof(certificate));
        var a = certKey.ExportParameters(false).Q;
        var b = privateKey.ExportParameters(false).Q;
        if (!CryptographicOperations.FixedTimeEquals(a.X, b.X) || !CryptographicOperations.FixedTimeEquals(a.Y, b.Y))
        {
            throw new ArgumentException($"the private key does not match certificate '{certificate.Subject}'", nameof(privateKey));
        }

        Certificate = X509CertificateLoader.LoadCertificate(certificate.RawData); // public part only
        Name = Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        _key = privateKey;
    }

    /// <summary>The party's certificate, without the private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The party's consortium name (certificate common name).</summary>
    public string Name { get; }

    /// <summary>Signs <paramref name="payload"/> for <paramref name="purpose"/> under <paramref name="binding"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="binding"/>'s sender is not this identity.</exception>
    public byte[] Sign(string purpose, MessageBinding binding, ReadOnlySpan<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!string.Equals(binding.Sender, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{Name}' cannot sign a message whose sender is '{binding.Sender}'", nameof(binding));
        }

        return SignTranscriptHash(SigningTranscript.Hash(purpose, binding, payload));
    }

    /// <summary>
    /// Signs the payload <paramref name="head"/> followed by <paramref name="body"/>: the same
    /// signature as over their concatenation, without copying a large body behind a small header.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="binding"/>'s sender is not this identity.</exception>
    public byte[] Sign(string purpose, MessageBinding binding, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!string.Equals(binding.Sender, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{Name}' cannot sign a message whose sender is '{binding.Sender}'", nameof(binding));
        }

        return SignTranscriptHash(SigningTranscript.Hash(purpose, binding, head, body));
    }

    // ECDSA over SHA-256 of the transcript: SignData would hash the same bytes, so signatures are
    // the same whether the transcript is hashed here in pieces or whole.
    private byte[] SignTranscriptHash(byte[] transcriptHash) =>
        _key.SignHash(transcriptHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _key.Dispose();
        Certificate.Dispose();
    }
}
