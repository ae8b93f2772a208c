using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks.Internal;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// Lets a site check, before it gives a decryption share, that the aggregate really is the sum of
/// the signed contributions. Without this check an actively malicious aggregator could present
/// one site's ciphertext as "the aggregate" with a valid contributor list; with it, a decryption
/// share reveals only a sum over the whole quorum.
/// </summary>
public static class AggregateVerifier
{
    /// <summary>
    /// The check a decryptor runs before every share: each listed contributor's c1 sections and
    /// head hashes recompute the digest it signed, and the aggregate's c1 is exactly their
    /// chunk-wise sum. A share is s_i c1 + e; with c1 forced to be the sum over the listed
    /// contributors, c0' + s c1 for any c0' the aggregator picks is m' plus s times the c1 of the
    /// contributors not in c0', which it cannot remove (that would take s c1_j, an RLWE sample), so
    /// the shares reveal nothing narrower than the sum over the whole quorum. Costs each decryptor
    /// the contributors' c1 (about 1.6 bytes per parameter each at the default preset), not their
    /// whole uploads.
    /// </summary>
    /// <param name="context">The plan's CKKS context.</param>
    /// <param name="contributions">The contributor list, with verified signatures (<see cref="SignedContribution.VerifyQuorum"/>).</param>
    /// <param name="masks">Exactly one entry per contribution, in any order.</param>
    /// <param name="aggregateMasks">The aggregate's c1 per chunk (<see cref="CkksSerializer.ReadMask"/>).</param>
    /// <exception cref="IdentityException">A contributor's masks are missing, extra, do not match its signed digest, or the sum differs.</exception>
    /// <exception cref="FormatException">A c1 section is malformed.</exception>
    public static void VerifyMasks(CkksContext context, IReadOnlyList<SignedContribution> contributions, IReadOnlyList<ContributorMasks> masks, IReadOnlyList<CkksCiphertext> aggregateMasks)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(contributions);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(aggregateMasks);
        var byName = new Dictionary<string, ContributorMasks>(StringComparer.Ordinal);
        foreach (var entry in masks)
        {
            if (!byName.TryAdd(entry.Contributor, entry))
            {
                throw new IdentityException($"the c1 sections of contributor '{entry.Contributor}' were given twice");
            }
        }

        if (byName.Count != contributions.Count || !contributions.All(c => byName.ContainsKey(c.Contributor)))
        {
            throw new IdentityException($"c1 sections were given for {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}; the contributors are {string.Join(", ", contributions.Select(c => c.Contributor))}");
        }

        var length = context.CiphertextPrimeCount * context.N;
        var moduli = context.Moduli.AsSpan(0, context.CiphertextPrimeCount);
        var sums = new ulong[aggregateMasks.Count * length];
        var scratch = new ulong[length];
        foreach (var contribution in contributions)
        {
            var entry = byName[contribution.Contributor];
            if (entry.MaskSections.Count != aggregateMasks.Count)
            {
                throw new IdentityException($"contributor '{contribution.Contributor}' has {entry.MaskSections.Count} c1 sections; the aggregate has {aggregateMasks.Count} chunks");
            }

            if (!CryptographicOperations.FixedTimeEquals(AggregateDigest.ComputeContribution(entry.HeadHashes, entry.MaskSections), contribution.CiphertextDigest))
            {
                throw new IdentityException($"the c1 sections given for contributor '{contribution.Contributor}' do not match the digest it signed");
            }

            for (var i = 0; i < aggregateMasks.Count; i++)
            {
                CkksSerializer.ReadMaskSection(context, entry.MaskSections[i].Span, scratch);
                PolyArithmetic.AddInPlace(sums.AsSpan(i * length, length), scratch, moduli, context.N);
            }
        }

        for (var i = 0; i < aggregateMasks.Count; i++)
        {
            context.EnsureOwns(aggregateMasks[i].Context, nameof(aggregateMasks));
            // c1 is public (it travels in the clear inside TLS to every decryptor): a plain comparison
            if (!sums.AsSpan(i * length, length).SequenceEqual(aggregateMasks[i].C1))
            {
                throw new IdentityException($"the aggregate is not the sum of the listed contributions: its c1 differs in chunk {i}");
            }
        }
    }
}
