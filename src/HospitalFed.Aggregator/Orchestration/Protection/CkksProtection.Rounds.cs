using System.Security.Cryptography;
using Google.Protobuf;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Federation;

namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>CKKS rounds: ciphertext uploads, the homomorphic sum, and threshold collective decryption.</summary>
internal sealed partial class CkksProtection
{
    // Chunks are kept as received (checked, not parsed) until the upload is signed: the accumulator
    // adds a compressed chunk's c0 in coefficient form, and the digest is over these very bytes.
    private readonly Dictionary<string, List<ByteString>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pendingBytes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SignedContribution> _contributions = new(StringComparer.Ordinal);
    // Per contributor, its c1 sections and head hashes: every decryptor checks the aggregate's c1
    // is their sum. About 1.6 bytes per parameter per contributor; c0 is not kept.
    private readonly Dictionary<string, CkksContributorMasks> _contributorMasks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _decryptors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _silentDecryptors = new(StringComparer.Ordinal);
    // Per chunk, the running sum of the shares received for the current request: summed as each
    // site's shares arrive (while others still compute theirs), O(d) whatever the number of sites.
    private DecryptionShare[]? _shareSums;
    private CkksVectorAccumulator? _sum;
    private QuantizationPlan? _quantization;
    private string[] _participants = [];
    private List<string> _contributors = [];
    private CkksDecryptionTask? _request;
    private IReadOnlyList<CkksCiphertext> _aggregate = [];
    private ByteString[] _aggregateMasks = [];
    private ByteString[] _ciphertextHashes = [];
    private byte[] _aggregateDigest = [];
    private long _round;

    /// <summary>
    /// A decryption request carries the aggregate's c1 and every contributor's c1 sections, so it
    /// grows with the consortium: (sites + 1) c1 per chunk, plus a hash pair per chunk and
    /// contributor, plus the model-independent overhead.
    /// </summary>
    public long LargestMessageBytes(int sites)
    {
        var chunks = CkksChunking.ChunkCount(_ckks.Parameters, _maxValues);
        return (chunks * (sites + 1) * (CkksSerializer.MaskSize(_ckks) + (2L * AggregateDigest.Size))) + FederationLimits.TaskOverheadBytes;
    }

    public void OpenRound(RoundInvitation invitation, IReadOnlyList<string> participants, QuantizationPlan quantization)
    {
        EndRound();
        _round = invitation.Round;
        _participants = [.. participants];
        _quantization = quantization;
        _sum = new CkksVectorAccumulator(_ckks, quantization.Dimension);
        invitation.Threshold = _threshold;
    }

    public void Receive(string sender, SecAggMaskedInputChunk chunk) =>
        throw new OrchestratorException($"'{sender}' sent a masked chunk; this plan's inputs are CKKS ciphertexts.");

    public void Receive(string sender, ProtectedInputChunk chunk)
    {
        var sum = _sum ?? throw new OrchestratorException("No CKKS round is open.");
        if (chunk.ChunkCase != ProtectedInputChunk.ChunkOneofCase.Ckks)
        {
            throw new OrchestratorException($"'{sender}' sent a {chunk.ChunkCase} chunk; this plan's inputs are CKKS ciphertexts.");
        }

        var ckks = chunk.Ckks;
        var received = _pending.TryGetValue(sender, out var list) ? list : [];
        var expected = CkksChunking.ChunkCount(_ckks.Parameters, sum.Length);
        if (ckks.PlanId != _plan.Id || ckks.Round != _round || ckks.ChunkIndex != received.Count || ckks.ChunkCount != expected || _contributions.ContainsKey(sender))
        {
            throw new OrchestratorException($"'{sender}' sent chunk {ckks.ChunkIndex} of {ckks.ChunkCount} for plan {ckks.PlanId} round {ckks.Round}; chunk {received.Count} of {expected} for round {_round} was expected.");
        }

        try
        {
            CkksSerializer.Validate(_ckks, ckks.Ciphertext.Span);
            CkksSerializer.MaskSectionOffset(_ckks, ckks.Ciphertext.Span); // a public-key ciphertext, whose c1 decryptors will check
            received.Add(ckks.Ciphertext);
        }
        catch (FormatException ex)
        {
            throw new OrchestratorException($"'{sender}' sent a malformed ciphertext (chunk {ckks.ChunkIndex}): {ex.Message}", ex);
        }

        _pending[sender] = received;
        _pendingBytes[sender] = _pendingBytes.GetValueOrDefault(sender) + ckks.Ciphertext.Length;
    }

    public (string Digest, long Bytes) PendingUpload(string sender)
    {
        if (!_contributions.TryGetValue(sender, out var contribution))
        {
            throw new OrchestratorException($"'{sender}' signed an upload before its signed CKKS contribution.");
        }

        return (Convert.ToHexStringLower(contribution.CiphertextDigest), _pendingBytes[sender]);
    }

    public void CommitUpload(string sender)
    {
        var chunks = _pending[sender];
        for (var i = 0; i < chunks.Count; i++)
        {
            _sum!.Add(i, chunks[i].Span);
        }

        _pending.Remove(sender);
        _contributors.Add(sender);
    }

    public void EndRound()
    {
        _pending.Clear();
        _pendingBytes.Clear();
        _contributions.Clear();
        _contributorMasks.Clear();
        _decryptors.Clear();
        _shareSums = null;
        _silentDecryptors.Clear();
        _contributors = [];
        _sum = null;
        _request = null;
        _aggregate = [];
        _aggregateMasks = [];
        _ciphertextHashes = [];
    }

    private void AcceptContribution(string sender, CkksContribution message)
    {
        var complete = _sum is not null && _pending.TryGetValue(sender, out var chunks) && chunks.Count == CkksChunking.ChunkCount(_ckks.Parameters, _sum.Length);
        if (!complete)
        {
            throw new OrchestratorException($"'{sender}' signed a CKKS contribution before sending every ciphertext of round {_round}.");
        }

        var contribution = new SignedContribution(message.Contributor, message.CiphertextDigest.ToByteArray(), message.Signature.ToByteArray());
        try
        {
            SignedContribution.VerifyQuorum([contribution], CertificateOf, _trust, _plan.Id, _round, _aggregator, 1, _time.GetUtcNow());
        }
        catch (IdentityException ex)
        {
            throw new OrchestratorException($"The CKKS contribution of '{sender}' is refused: {ex.Message}", ex);
        }

        // Split once: the head hashes and c1 sections both give the digest and go to the decryptors.
        var masks = new CkksContributorMasks { Contributor = sender };
        foreach (var chunk in _pending[sender])
        {
            var (head, section) = AggregateDigest.SplitChunk(_ckks, chunk.Memory);
            masks.HeadHashes.Add(UnsafeByteOperations.UnsafeWrap(head));
            masks.MaskSections.Add(ByteString.CopyFrom(section.Span)); // a copy: c0 is not kept past the sum
        }

        var digest = AggregateDigest.ComputeContribution([.. masks.HeadHashes.Select(h => h.Memory)], [.. masks.MaskSections.Select(m => m.Memory)]);
        if (!CryptographicOperations.FixedTimeEquals(digest, contribution.CiphertextDigest))
        {
            throw new OrchestratorException($"'{sender}' signed a contribution whose digest differs from the ciphertexts it sent.");
        }

        _contributions[sender] = contribution;
        _contributorMasks[sender] = masks;
    }

    private ProtectionStep CloseInputs()
    {
        var contributors = _contributors.Order(StringComparer.Ordinal).ToArray();
        if (contributors.Length < Math.Max(2, _plan.MinSites) || contributors.Length < _threshold)
        {
            throw new RoundAbortedException($"{contributors.Length} sites uploaded; the plan requires {_plan.MinSites} and decryption t = {_threshold}");
        }

        _aggregate = _sum!.Chunks;
        // Decryptors get each chunk's c1 (all a share needs) and the hash of the whole chunk, which
        // binds c0 into the digest their shares sign (docs/ckks.md "Multiparty protocol", step 5).
        _aggregateMasks = [.. _aggregate.Select(c => UnsafeByteOperations.UnsafeWrap(CkksSerializer.SerializeMask(c)))];
        _ciphertextHashes = [.. _aggregate.Select(c => UnsafeByteOperations.UnsafeWrap(AggregateDigest.HashCiphertext(c)))];
        _aggregateDigest = AggregateDigest.ComputeSplit([.. _ciphertextHashes.Select(h => h.Memory)], [.. _aggregateMasks.Select(m => m.Memory)]);
        return new(OrchestratorPhase.Decrypting, RequestDecryption(ChooseDecryptors(contributors))) { Participants = contributors };
    }

    /// <summary>
    /// Exactly t decryptors: any t shares decode (Shamir, t-of-n), and every extra share costs a
    /// site a full pass over the aggregate and the aggregator a parse, a signature check and a sum.
    /// The contributors still able to answer are taken in name order, rotated by the round number so
    /// the work spreads over the consortium; the choice is deterministic, so tests and the round log
    /// can tell who was asked.
    /// </summary>
    private string[] ChooseDecryptors(IReadOnlyList<string> contributors)
    {
        var candidates = contributors.Where(c => !_silentDecryptors.Contains(c)).ToArray();
        if (candidates.Length < _threshold)
        {
            throw new RoundAbortedException($"{candidates.Length} sites can still return decryption shares; t = {_threshold} are needed");
        }

        var offset = (int)(Math.Max(_round - 1, 0) % candidates.Length);
        return [.. candidates.Skip(offset).Concat(candidates.Take(offset)).Take(_threshold).Order(StringComparer.Ordinal)];
    }

    /// <summary>Asks <paramref name="active"/> for decryption shares; every share is bound to this active set's Lagrange coefficients.</summary>
    private IReadOnlyDictionary<string, SiteTask> RequestDecryption(IReadOnlyList<string> active)
    {
        var request = new CkksDecryptionRequest
        {
            PlanId = _plan.Id,
            Round = _round,
            AggregateDigest = ByteString.CopyFrom(_aggregateDigest),
            ChunkCount = _aggregate.Count,
        };
        request.Contributions.AddRange(_contributors.Order(StringComparer.Ordinal).Select(c => new CkksContribution
        {
            Contributor = c,
            CiphertextDigest = ByteString.CopyFrom(_contributions[c].CiphertextDigest),
            Signature = ByteString.CopyFrom(_contributions[c].Signature),
        }));
        request.ActivePoints.AddRange(active.Select(a => Array.IndexOf(_keyHolders, a) + 1));
        _request = new CkksDecryptionTask { Request = request };
        _request.AggregateMasks.AddRange(_aggregateMasks);
        _request.CiphertextHashes.AddRange(_ciphertextHashes);
        _request.ContributorMasks.AddRange(_contributors.Order(StringComparer.Ordinal).Select(c => _contributorMasks[c]));
        _request.ActiveSites.AddRange(active);
        _decryptors.Clear();
        _shareSums = null;
        return ProtectionStep.Broadcast(active, new SiteTask { CkksDecryption = _request });
    }

    private void AcceptDecryptionShares(string sender, CkksDecryptionShares message)
    {
        if (_request is null || message.PlanId != _plan.Id || message.Round != _round || message.Shares.Count != _aggregate.Count)
        {
            throw new OrchestratorException($"'{sender}' sent {message.Shares.Count} decryption shares for plan {message.PlanId} round {message.Round}; {_aggregate.Count} for round {_round} were expected.");
        }

        if (!_request.ActiveSites.Contains(sender) || _decryptors.Contains(sender))
        {
            throw new OrchestratorException($"'{sender}' sent decryption shares it was not asked for, or sent them twice.");
        }

        var binding = new MessageBinding(_plan.Id, _round, sender, _aggregator);
        DecryptionShare[] parsed;
        try
        {
            var signed = message.Shares.Select(s => new SignedDecryptionShare(s.Sender, s.AggregateDigest.ToByteArray(), s.ChunkIndex, s.Share.ToByteArray(), s.Signature.ToByteArray())).ToList();
            parsed = SignedDecryptionShare.VerifyAll(_ckks, _trust, CertificateOf(sender), binding, _aggregateDigest, signed, _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is IdentityException or FormatException)
        {
            throw new OrchestratorException($"A decryption share of '{sender}' is refused: {ex.Message}", ex);
        }

        _decryptors.Add(sender);
        if (_shareSums is null)
        {
            _shareSums = parsed;
            return;
        }

        var protocol = new CollectiveDecryptionProtocol(_ckks, new CkksNoiseBudget(_keyHolders.Length, _contributors.Count, _request.ActiveSites.Count));
        for (var i = 0; i < parsed.Length; i++)
        {
            protocol.AddInPlace(_shareSums[i], parsed[i]);
        }
    }

    private ProtectionStep CloseDecryption(IReadOnlyCollection<string> silent)
    {
        var active = _request!.ActiveSites.ToArray();
        if (silent.Count > 0)
        {
            // Shares made for one active set are useless for another (their Lagrange weights
            // differ), so a dropout means asking a new set of t among the contributors that have
            // not fallen silent this round, if t of them are left.
            _silentDecryptors.UnionWith(silent);
            return new(OrchestratorPhase.Decrypting, RequestDecryption(ChooseDecryptors(_contributors.Order(StringComparer.Ordinal).ToArray())));
        }

        var sum = Decrypt(active.Length);
        var digest = Convert.ToHexStringLower(_aggregateDigest);
        var contributors = _contributors.Order(StringComparer.Ordinal).ToArray();
        var dropped = _participants.Except(contributors, StringComparer.Ordinal).ToArray();
        return new(OrchestratorPhase.Completed, new Dictionary<string, SiteTask>()) { Sum = new RoundSum(sum, digest, contributors, dropped) };
    }

    private double[] Decrypt(int decryptors)
    {
        var quantization = _quantization!;
        var protocol = new CollectiveDecryptionProtocol(_ckks, new CkksNoiseBudget(_keyHolders.Length, _contributors.Count, decryptors));
        var values = new double[quantization.Dimension];
        for (var i = 0; i < _aggregate.Count; i++)
        {
            protocol.DecryptChunk(_aggregate[i], _shareSums![i], i, values);
        }

        // Each site sent values in [-1, 1]; a sum outside [-n, n], or a count that is not an
        // integer, means a share was wrong: abort rather than apply a wrong aggregate.
        var limit = _contributors.Count + 1e-3;
        var outlier = Array.FindIndex(values, v => !double.IsFinite(v) || Math.Abs(v) > limit);
        if (outlier >= 0)
        {
            throw new RoundAbortedException($"the decrypted sum is out of range at coordinate {outlier}: a decryption share was wrong");
        }

        var normalized = (double[])values.Clone();
        SegmentClipping.Denormalize(quantization, values);
        for (var s = 0; s < quantization.Segments.Count; s++)
        {
            var segment = quantization.Segments[s];
            for (var i = 0; segment.IsInteger && i < segment.Length; i++)
            {
                var index = (int)quantization.Start(s) + i;
                if (Math.Abs((normalized[index] * segment.Bound) - values[index]) > 0.25)
                {
                    throw new RoundAbortedException($"the decrypted count '{segment.Name}' is not an integer: a decryption share was wrong");
                }
            }
        }

        return values;
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 CertificateOf(string site) =>
        _certificates.TryGetValue(site, out var certificate) ? certificate : throw new IdentityException($"'{site}' is not a key holder of plan {_plan.Id}");
}
