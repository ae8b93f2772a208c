using System.Security.Cryptography.X509Certificates;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// A site's signed statement "I contributed the encrypted vector with this digest to round r of
/// plan p, sent to this aggregator". A site gives a decryption share only for an aggregate whose
/// contributor list carries at least the plan's minimum number of distinct, valid statements.
/// </summary>
/// <param name="Contributor">The site's consortium name.</param>
/// <param name="CiphertextDigest">The <see cref="AggregateDigest"/> of the site's own encrypted vector.</param>
/// <param name="Signature">ECDSA P-256 over the purpose, binding and digest.</param>
public sealed record SignedContribution(string Contributor, byte[] CiphertextDigest, byte[] Signature)
{
    /// <summary>The signature purpose label.</summary>
    public const string Purpose = "ckks/contribution";

    /// <summary>Signs the contribution of <paramref name="site"/> to <paramref name="aggregator"/> for plan and round.</summary>
    public static SignedContribution Create(SigningIdentity site, string planId, long round, string aggregator, ReadOnlySpan<byte> ciphertextDigest)
    {
        ArgumentNullException.ThrowIfNull(site);
        var binding = new MessageBinding(planId, round, site.Name, aggregator);
        return new SignedContribution(site.Name, ciphertextDigest.ToArray(), site.Sign(Purpose, binding, ciphertextDigest));
    }

    /// <summary>
    /// Checks every statement (certificate chain and role Site, signature bound to plan, round and
    /// aggregator), refuses duplicates, and requires at least <paramref name="minimumSites"/>.
    /// Returns the contributors' names.
    /// </summary>
    /// <exception cref="IdentityException">A certificate or signature is refused, a contributor repeats, or there are too few.</exception>
    public static IReadOnlyList<string> VerifyQuorum(
        IReadOnlyList<SignedContribution> contributions,
        Func<string, X509Certificate2> certificateOf,
        ConsortiumTrust trust,
        string planId,
        long round,
        string aggregator,
        int minimumSites,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        ArgumentNullException.ThrowIfNull(certificateOf);
        ArgumentNullException.ThrowIfNull(trust);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var contribution in contributions)
        {
            if (!names.Add(contribution.Contributor))
            {
                throw new IdentityException($"contributor '{contribution.Contributor}' appears twice in the contributor list of plan {planId} round {round}");
            }

            var binding = new MessageBinding(planId, round, contribution.Contributor, aggregator);
            trust.VerifySignature(certificateOf(contribution.Contributor), ConsortiumRole.Site, at, Purpose, binding, contribution.CiphertextDigest, contribution.Signature);
        }

        if (names.Count < minimumSites)
        {
            throw new IdentityException($"the aggregate of plan {planId} round {round} has {names.Count} contributors; the plan requires at least {minimumSites}");
        }

        return [.. names];
    }
}
