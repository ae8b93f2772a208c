using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks.Internal;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// Lets a site check, before it gives a decryption share, that the aggregate really is the sum of
/// the signed contributions: each contributor's ciphertexts must hash to the digest it signed, and
/// their chunk-wise sum must equal the aggregate. Without this check an actively malicious
/// aggregator could present one site's ciphertext as "the aggregate" with a valid contributor
/// list; with it, a decryption share reveals only a sum of at least the quorum. Costs O(n · d)
/// bandwidth and additions per site, so plans choose it (policy) when the aggregator is not
/// trusted to be honest-but-curious.
/// </summary>
public static class AggregateVerifier
{
    /// <summary>Throws unless <paramref name="aggregate"/> is the chunk-wise sum of the contributors' vectors.</summary>
    /// <param name="contributions">The verified contributor list (see <see cref="SignedContribution.VerifyQuorum"/>).</param>
    /// <param name="contributorChunks">Each contributor's encrypted vector, keyed by contributor name.</param>
    /// <param name="aggregate">The aggregate vector the aggregator asks to decrypt.</param>
    /// <exception cref="IdentityException">A vector is missing, does not match its signed digest, or the sum differs.</exception>
    public static void Verify(
        IReadOnlyList<SignedContribution> contributions,
        IReadOnlyDictionary<string, IReadOnlyList<CkksCiphertext>> contributorChunks,
        IReadOnlyList<CkksCiphertext> aggregate)
    {
        ArgumentNullException.ThrowIfNull(contributions);
        ArgumentNullException.ThrowIfNull(contributorChunks);
        ArgumentNullException.ThrowIfNull(aggregate);
        if (aggregate.Count == 0)
        {
            throw new IdentityException("the aggregate has no chunks");
        }

        var context = aggregate[0].Context;
        var evaluator = new CkksEvaluator(context);
        var sums = aggregate.Select(_ => new CkksCiphertext(context)).ToArray();
        foreach (var contribution in contributions)
        {
            if (!contributorChunks.TryGetValue(contribution.Contributor, out var chunks))
            {
                throw new IdentityException($"the encrypted vector of contributor '{contribution.Contributor}' was not provided");
            }

            if (!CryptographicOperations.FixedTimeEquals(AggregateDigest.Compute(chunks), contribution.CiphertextDigest))
            {
                throw new IdentityException($"the encrypted vector of contributor '{contribution.Contributor}' does not match the digest it signed");
            }

            if (chunks.Count != sums.Length)
            {
                throw new IdentityException($"contributor '{contribution.Contributor}' sent {chunks.Count} chunks; the aggregate has {sums.Length}");
            }

            for (var i = 0; i < sums.Length; i++)
            {
                evaluator.AddInPlace(sums[i], chunks[i]);
            }
        }

        for (var i = 0; i < sums.Length; i++)
        {
            context.EnsureOwns(aggregate[i].Context, nameof(aggregate));
            if (!SameOnTheWire(sums[i], aggregate[i]))
            {
                throw new IdentityException($"the aggregate is not the sum of the listed contributions (chunk {i} differs)");
            }
        }
    }

    /// <summary>
    /// The check a decryptor runs before every share: each listed contributor's c1 sections and
    /// head hashes recompute the digest it signed, and the aggregate's c1 is exactly their
    /// chunk-wise sum. A share is s_i c1 + e; with c1 forced to be the sum over the listed
    /// contributors, c0' + s c1 for any c0' the aggregator picks is m' plus s times the c1 of the
    /// contributors not in c0', which it cannot remove (that would take s c1_j, an RLWE sample), so
    /// the shares reveal nothing narrower than the sum over the whole quorum. Costs each decryptor
    /// the contributors' c1 (about 1.6 bytes per parameter each at the default preset), not their
    /// whole uploads as <see cref="Verify"/> does.
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

    // Compare residues, not serialisations: a one-contributor sum may still carry its seed. With
    // compression the aggregate arrives rounded, so c0 is compared as it travels (compressed);
    // c1, which the decryption share multiplies by the secret, must match exactly either way.
    private static bool SameOnTheWire(CkksCiphertext sum, CkksCiphertext aggregate)
    {
        if (sum.Context.CiphertextCompressor is not { } compressor)
        {
            return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(sum.Data.AsSpan()), MemoryMarshal.AsBytes(aggregate.Data.AsSpan()));
        }

        var context = sum.Context;
        var count = context.Width * context.N;
        var left = new ulong[count];
        var right = new ulong[count];
        CkksCompressedFormat.CompressFromNtt(context, compressor, sum.Data, left);
        CkksCompressedFormat.CompressFromNtt(context, compressor, aggregate.Data, right);
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(left.AsSpan()), MemoryMarshal.AsBytes(right.AsSpan())) &
            CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(sum.C1), MemoryMarshal.AsBytes(aggregate.C1));
    }
}
