using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Primitives;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.SecAgg.Internal;

/// <summary>Checks and encodings shared by the site and aggregator state machines.</summary>
internal static class SecAggMessages
{
    private const string SurvivorSetLabel = "hfed/secagg/survivor-set/v1";

    /// <summary>The signed payload of an advertisement: c_i^PK || s_i^PK.</summary>
    public static byte[] AdvertisementPayload(SecAggAdvertiseKeys message) =>
        [.. message.SharePublicKey.Span, .. message.MaskPublicKey.Span];

    /// <summary>The signed payload of a consistency check: the canonical encoding of U3.</summary>
    public static byte[] SurvivorPayload(IEnumerable<string> survivors) => ContextEncoding.EncodeNames(SurvivorSetLabel, survivors);

    /// <summary>Throws unless the message names this session's plan and round.</summary>
    public static void CheckPlanAndRound(SecAggParameters parameters, string planId, long round, string what)
    {
        if (!string.Equals(planId, parameters.PlanId, StringComparison.Ordinal))
        {
            throw new SecAggException(SecAggFailure.WrongPlan, $"{what} is for another plan; this session is plan {parameters.PlanId}");
        }

        if (round != parameters.Round)
        {
            throw new SecAggException(SecAggFailure.WrongRound, $"{what} is for round {round}; this session is round {parameters.Round}");
        }
    }

    /// <summary>Returns the roster index of <paramref name="name"/> or throws <see cref="SecAggFailure.WrongParty"/>.</summary>
    public static int IndexOf(SecAggParameters parameters, string name, string what)
    {
        var index = parameters.IndexOf(name);
        return index >= 0 ? index : throw new SecAggException(SecAggFailure.WrongParty, $"{what} names '{name}', who is not a participant of round {parameters.Round}");
    }

    /// <summary>
    /// Verifies an advertisement: plan and round, the sender's certificate against the consortium
    /// root (site role, name = sender), the signature, and two valid P-256 points.
    /// </summary>
    public static PeerKeys VerifyAdvertisement(SecAggParameters parameters, ConsortiumTrust trust, DateTimeOffset now, SecAggAdvertiseKeys message)
    {
        CheckPlanAndRound(parameters, message.PlanId, message.Round, $"the key advertisement of '{message.Sender}'");
        var index = IndexOf(parameters, message.Sender, "a key advertisement");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(message.Certificate.Span);
        }
        catch (CryptographicException e)
        {
            throw new SecAggException(SecAggFailure.InvalidSignature, $"the key advertisement of '{message.Sender}' carries an unreadable certificate", e);
        }

        try
        {
            var binding = new MessageBinding(parameters.PlanId, parameters.Round, message.Sender, MessageBinding.Broadcast);
            trust.VerifySignature(certificate, ConsortiumRole.Site, now, SecAggPurposes.AdvertiseKeys, binding, AdvertisementPayload(message), message.Signature.Span);
        }
        catch (IdentityException e)
        {
            certificate.Dispose();
            throw new SecAggException(SecAggFailure.InvalidSignature, $"the key advertisement of '{message.Sender}' is refused: {e.Message}", e);
        }

        if (!P256KeyPair.IsValidPublicKey(message.SharePublicKey.Span) || !P256KeyPair.IsValidPublicKey(message.MaskPublicKey.Span))
        {
            certificate.Dispose();
            throw new SecAggException(SecAggFailure.Malformed, $"the key advertisement of '{message.Sender}' holds a public key that is not a P-256 point");
        }

        return new PeerKeys(index, message.Sender, certificate, message.SharePublicKey.ToByteArray(), message.MaskPublicKey.ToByteArray());
    }

    /// <summary>Verifies one consistency signature with an already validated certificate.</summary>
    public static bool VerifyConsistency(SecAggParameters parameters, X509Certificate2 certificate, string signer, byte[] payload, ReadOnlySpan<byte> signature)
    {
        var binding = new MessageBinding(parameters.PlanId, parameters.Round, signer, MessageBinding.Broadcast);
        return ConsortiumTrust.VerifyWithKey(certificate, SecAggPurposes.ConsistencyCheck, binding, payload, signature);
    }
}
