using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Google.Protobuf;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Site.Rounds.Protection;

/// <summary>CKKS rounds: encrypting the update under the collective key, and decryption shares for one aggregate per round.</summary>
internal sealed partial class CkksSiteProtection
{
    private long _decryptedRound;
    private long _joinedRound;
    private byte[] _decryptedDigest = [];

    public IEnumerable<string> Vet(RoundInvitation invitation, TrainingPlan plan)
    {
        if (_keys is null)
        {
            yield return $"this site holds no CKKS key shares for plan {plan.Id} (set-up missed, or the key store was lost)";
            yield break;
        }

        if (invitation.Threshold != _keys.Threshold)
        {
            yield return $"the round's threshold {invitation.Threshold} is not the plan's CKKS threshold {_keys.Threshold}";
        }

        var strangers = invitation.Participants.Where(p => !_keys.KeyHolders.Contains(p)).ToList();
        if (strangers.Count > 0)
        {
            yield return $"{string.Join(", ", strangers)} hold no share of the collective key";
        }
    }

    public SiteReply Join(RoundInvitation invitation, float[] update, QuantizationPlan quantization)
    {
        var ckks = _ckks!;
        var values = new double[update.Length];
        try
        {
            // Each site's vector lies in [-1, 1] coordinate-wise, the range the presets' noise
            // budget is sized for (docs/ckks.md "Error bounds"); the aggregator scales the sum back.
            SegmentClipping.Clip(quantization, update, values);
            SegmentClipping.Normalize(quantization, values);
            var chunks = new List<ProtectedInputChunk>();
            var count = CkksChunking.ChunkCount(ckks.Parameters, values.Length);
            long bytes = 0;
            new CkksVectorEncryptor(ckks, new CkksEncryptor(ckks, _publicKey!)).Encrypt(values, (index, ciphertext) =>
            {
                bytes += ciphertext.Length;
                chunks.Add(new ProtectedInputChunk
                {
                    Ckks = new CkksCiphertextChunk { PlanId = invitation.PlanId, Round = invitation.Round, Sender = Name, ChunkIndex = index, ChunkCount = count, Ciphertext = ByteString.CopyFrom(ciphertext) },
                });
            });
            // Over the bytes sent, which are canonical: the digest the aggregator computes on arrival,
            // and that every decryptor recomputes from this upload's c1 sections and head hashes.
            var digest = AggregateDigest.ComputeContribution(ckks, chunks.Select(c => c.Ckks.Ciphertext.Memory));
            var contribution = SignedContribution.Create(_context.Identity, invitation.PlanId, invitation.Round, _keys!.Aggregator, digest);
            var entry = LogEntry.Sign(_context.Identity, invitation.PlanId, LogEntries.Upload(invitation.Round, Convert.ToHexStringLower(digest), bytes), _time.GetUtcNow());
            var messages = new[]
            {
                new SiteMessage { CkksContribution = new CkksContribution { Contributor = Name, CiphertextDigest = ByteString.CopyFrom(digest), Signature = ByteString.CopyFrom(contribution.Signature) } },
                new SiteMessage { UploadEntry = ByteString.CopyFrom(LogLine.Encode(entry, null)) },
            };
            _joinedRound = invitation.Round;
            return new SiteReply(messages, []) { ProtectedInput = chunks };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(update.AsSpan()));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }

    public void EndRound()
    {
        // Nothing round-scoped is secret here: the update is zeroed as soon as it is encrypted.
        // The round is over (result, abort or the next invitation): no decryption for it any more.
        _joinedRound = 0;
    }

    /// <summary>
    /// Gives signed decryption shares for one aggregate of one round, only after checking the
    /// contributor quorum (signed, distinct, at least the plan's minimum) and the aggregate's digest,
    /// computed here from the masks (c1) it is sent and the hashes of the whole chunks (docs/ckks.md "Multiparty protocol", step 4).
    /// </summary>
    private SiteReply Decrypt(CkksDecryptionTask task)
    {
        var keys = _keys ?? throw new InvalidOperationException($"a decryption request arrived, but this site holds no CKKS keys for plan {_plan.Id}");
        var ckks = _ckks!;
        var request = task.Request;
        if (request.Round != _joinedRound)
        {
            // Only the round this site uploaded to and is still in: a request for an aborted round
            // (an aggregator restart) or a later one would decrypt a sum the site never agreed to reveal.
            throw new InvalidOperationException($"decryption request refused: it is for round {request.Round}, but this site is in {(_joinedRound == 0 ? "no round" : $"round {_joinedRound}")}");
        }

        var active = task.ActiveSites.ToList();
        var points = active.Select(a => keys.KeyHolders.ToList().IndexOf(a) + 1).ToList();
        if (request.PlanId != _plan.Id || !active.Contains(Name) || points.Contains(0) || !points.SequenceEqual(request.ActivePoints) || active.Distinct(StringComparer.Ordinal).Count() != active.Count || active.Count < keys.Threshold)
        {
            throw new InvalidOperationException($"decryption request refused: active set {string.Join(", ", active)} (points {string.Join(", ", request.ActivePoints)}) must hold this site, distinct key holders at their points, and at least t = {keys.Threshold}");
        }

        var now = _time.GetUtcNow();
        var contributions = request.Contributions.Select(c => new SignedContribution(c.Contributor, c.CiphertextDigest.ToByteArray(), c.Signature.ToByteArray())).ToList();
        try
        {
            SignedContribution.VerifyQuorum(contributions, CertificateOf, _context.Trust, _plan.Id, request.Round, keys.Aggregator, _plan.MinSites, now);
        }
        catch (IdentityException ex)
        {
            throw new InvalidOperationException($"decryption request refused: {ex.Message}", ex);
        }

        // Only each chunk's c1 comes (a share is s_i c1 + e_i); the whole chunk's hash, which binds
        // c0, is given, and the mask hashes are computed here from the masks this site multiplies.
        var digest = task.AggregateMasks.Count == request.ChunkCount && task.CiphertextHashes.Count == request.ChunkCount && task.CiphertextHashes.All(h => h.Length == AggregateDigest.Size)
            ? AggregateDigest.ComputeSplit([.. task.CiphertextHashes.Select(h => h.Memory)], [.. task.AggregateMasks.Select(m => m.Memory)])
            : [];
        if (!CryptographicOperations.FixedTimeEquals(digest, request.AggregateDigest.Span))
        {
            throw new InvalidOperationException("decryption request refused: the aggregate does not match the digest it is presented under");
        }

        List<CkksCiphertext> aggregate;
        try
        {
            aggregate = [.. task.AggregateMasks.Select(m => CkksSerializer.ReadMask(ckks, m.Span))];
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"decryption request refused: the aggregate does not parse: {ex.Message}", ex);
        }

        // The aggregate's c1 must be exactly the sum of the listed contributors' c1, each bound to
        // the digest it signed: otherwise an aggregator could present one site's ciphertext as the
        // aggregate and have it decrypted (docs/ckks.md "Multiparty protocol", step 5).
        try
        {
            var masks = task.ContributorMasks.Select(m => new ContributorMasks(m.Contributor, [.. m.HeadHashes.Select(h => h.Memory)], [.. m.MaskSections.Select(c => c.Memory)])).ToList();
            AggregateVerifier.VerifyMasks(ckks, contributions, masks, aggregate);
        }
        catch (Exception ex) when (ex is IdentityException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"decryption request refused: {ex.Message}", ex);
        }

        // One aggregate per round, and never an older round: shares for two different aggregates
        // of the same round could be combined to reveal more than one sum.
        if (request.Round < _decryptedRound || (request.Round == _decryptedRound && !CryptographicOperations.FixedTimeEquals(digest, _decryptedDigest)))
        {
            throw new InvalidOperationException($"decryption request refused: round {request.Round} is stale, or this site already decrypted another aggregate of it");
        }

        _decryptedRound = request.Round;
        _decryptedDigest = digest;
        var protocol = new CollectiveDecryptionProtocol(ckks, new CkksNoiseBudget(keys.KeyHolders.Count, contributions.Count, active.Count));
        var binding = new MessageBinding(_plan.Id, request.Round, Name, keys.Aggregator);
        var reply = new CkksDecryptionShares { PlanId = _plan.Id, Round = request.Round, Sender = Name };
        using var share = new ThresholdProtocol(ckks).CombineShare(_thresholdKey!, points);
        var i = 0;
        foreach (var decryptionShare in protocol.GenShares(share, aggregate))
        {
            var signed = SignedDecryptionShare.Create(_context.Identity, binding, digest, i++, decryptionShare);
            reply.Shares.Add(new CkksDecryptionShare
            {
                PlanId = _plan.Id, Round = request.Round, Sender = Name, AggregateDigest = ByteString.CopyFrom(digest), ChunkIndex = signed.ChunkIndex, Share = UnsafeByteOperations.UnsafeWrap(signed.Share), Signature = UnsafeByteOperations.UnsafeWrap(signed.Signature),
            });
        }

        return SiteReply.Send(new SiteMessage { CkksDecryptionShares = reply });
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 CertificateOf(string site)
    {
        var index = _keys!.KeyHolders.ToList().IndexOf(site);
        return index >= 0 ? _certificates[index] : throw new IdentityException($"'{site}' is not a key holder of plan {_plan.Id}");
    }
}
