using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// A key holder's public-key share, signed and bound to the plan (round 0), the sender and the
/// common random polynomial's seed. Every site verifies every share and sums them itself, so an
/// aggregator cannot slip in a key of its own. To stop a key holder from choosing its share after
/// seeing the others' (a rogue-key attack), collect SHA-256 commitments to all shares before any
/// share is revealed.
/// </summary>
/// <param name="Sender">The key holder's consortium name.</param>
/// <param name="CrpSeed">Seed of the common random polynomial the share was made for.</param>
/// <param name="Share">The serialised <see cref="PublicKeyShare"/>.</param>
/// <param name="Signature">ECDSA P-256 over purpose, binding, seed and share.</param>
public sealed record SignedPublicKeyShare(string Sender, byte[] CrpSeed, byte[] Share, byte[] Signature)
{
    /// <summary>The signature purpose label.</summary>
    public const string Purpose = "ckks/public-key-share";

    /// <summary>Signs <paramref name="share"/> for the plan <paramref name="planId"/>, addressed to every party.</summary>
    public static SignedPublicKeyShare Create(SigningIdentity keyHolder, string planId, CommonRandomPolynomial crp, PublicKeyShare share)
    {
        ArgumentNullException.ThrowIfNull(keyHolder);
        ArgumentNullException.ThrowIfNull(crp);
        ArgumentNullException.ThrowIfNull(share);
        var bytes = share.ToBytes();
        var seed = crp.Seed.ToArray();
        var binding = new MessageBinding(planId, 0, keyHolder.Name, MessageBinding.Broadcast);
        return new SignedPublicKeyShare(keyHolder.Name, seed, bytes, keyHolder.Sign(Purpose, binding, Payload(seed, bytes)));
    }

    /// <summary>Verifies signer (chain, role Site, name), plan and seed, and returns the parsed share.</summary>
    /// <exception cref="IdentityException">The certificate or signature is refused, or the share is for another common polynomial.</exception>
    /// <exception cref="FormatException">The share bytes are malformed.</exception>
    public PublicKeyShare Verify(CkksContext context, ConsortiumTrust trust, X509Certificate2 signer, string planId, CommonRandomPolynomial crp, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(crp);
        if (!crp.Seed.SequenceEqual(CrpSeed))
        {
            throw new IdentityException($"public key share from '{Sender}' was made for another common random polynomial");
        }

        var binding = new MessageBinding(planId, 0, Sender, MessageBinding.Broadcast);
        trust.VerifySignature(signer, ConsortiumRole.Site, at, Purpose, binding, Payload(CrpSeed, Share), Signature);
        return PublicKeyShare.Parse(context, Share);
    }

    private static byte[] Payload(byte[] seed, byte[] share) => [.. seed, .. share];
}
