using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Identity;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>
/// Pairwise-masked secure aggregation (Bonawitz et al., CCS 2017) through an
/// <see cref="AggregatorSession"/>: advertise keys, share keys, masked input, consistency check,
/// unmasking. Only masked words go into the running sum; no set-up outlives a round.
/// </summary>
internal sealed class PairwiseProtection : IRoundProtection
{
    private readonly TrainingPlan _plan;
    private readonly ConsortiumTrust _trust;
    private readonly TimeProvider _time;
    private readonly int _chunkWords;
    private readonly Dictionary<string, (IncrementalHash Hash, long Bytes)> _uploads = new(StringComparer.Ordinal);
    private AggregatorSession? _session;

    public PairwiseProtection(TrainingPlan plan, ConsortiumTrust trust, int chunkWords, TimeProvider time)
    {
        _plan = plan;
        _trust = trust;
        _chunkWords = chunkWords;
        _time = time;
    }

    public OrchestratorPhase InvitationPhase => OrchestratorPhase.AdvertisingKeys;

    public void OpenRound(RoundInvitation invitation, IReadOnlyList<string> participants, QuantizationPlan quantization)
    {
        EndRound();

        // t > 2n/3 tolerates n - t dropouts while an active adversary controlling the aggregator
        // cannot split honest sites into two views (Bonawitz et al. 2017, section 6.2); never below
        // the plan's minimum, so no sum of fewer sites than agreed is ever revealed.
        var threshold = Math.Min(participants.Count, Math.Max(_plan.MinSites, (2 * participants.Count / 3) + 1));
        _session = new AggregatorSession(
            new SecAggParameters(_plan.Id, invitation.Round, participants, threshold, quantization, chunkWords: _chunkWords),
            _trust,
            _time);
        invitation.Threshold = threshold;
        invitation.MaxSites = participants.Count;
        invitation.ChunkWords = _chunkWords;
    }

    public (OrchestratorPhase Phase, string SignedAs)? Classify(SiteMessage message) => message.MessageCase switch
    {
        SiteMessage.MessageOneofCase.AdvertiseKeys => (OrchestratorPhase.AdvertisingKeys, message.AdvertiseKeys.Sender),
        SiteMessage.MessageOneofCase.ShareKeys => (OrchestratorPhase.SharingKeys, message.ShareKeys.Sender),
        SiteMessage.MessageOneofCase.ConsistencyCheck => (OrchestratorPhase.CheckingConsistency, message.ConsistencyCheck.Sender),
        SiteMessage.MessageOneofCase.UnmaskResponse => (OrchestratorPhase.Unmasking, message.UnmaskResponse.Sender),
        _ => null,
    };

    public bool Receive(string sender, SiteMessage message)
    {
        var session = Session();
        switch (message.MessageCase)
        {
            case SiteMessage.MessageOneofCase.AdvertiseKeys:
                session.Receive(message.AdvertiseKeys);
                break;
            case SiteMessage.MessageOneofCase.ShareKeys:
                session.Receive(message.ShareKeys);
                break;
            case SiteMessage.MessageOneofCase.ConsistencyCheck:
                session.Receive(message.ConsistencyCheck);
                break;
            case SiteMessage.MessageOneofCase.UnmaskResponse:
                session.Receive(message.UnmaskResponse);
                break;
            default:
                throw new OrchestratorException($"'{sender}' sent a {message.MessageCase} message to a pairwise-masked round.");
        }

        return true;
    }

    public void Receive(string sender, SecAggMaskedInputChunk chunk)
    {
        Session().Receive(chunk);
        if (!_uploads.TryGetValue(sender, out var upload))
        {
            upload = (IncrementalHash.CreateHash(HashAlgorithmName.SHA256), 0);
        }

        upload.Hash.AppendData(chunk.Words.Span);
        _uploads[sender] = (upload.Hash, upload.Bytes + chunk.Words.Length);
    }

    public void Receive(string sender, ProtectedInputChunk chunk) =>
        throw new OrchestratorException($"'{sender}' sent a {chunk.ChunkCase} chunk; this plan's inputs are pairwise-masked.");

    public (string Digest, long Bytes) PendingUpload(string sender)
    {
        if (!_uploads.Remove(sender, out var upload))
        {
            throw new OrchestratorException($"'{sender}' signed an upload before sending its masked input ({_uploads.Count} uploads in progress).");
        }

        using (upload.Hash)
        {
            return (Convert.ToHexStringLower(upload.Hash.GetHashAndReset()), upload.Bytes);
        }
    }

    public void CommitUpload(string sender)
    {
        // The session added every masked word as it arrived; the entry only proves what was sent.
    }

    public string StageName(OrchestratorPhase phase) => phase switch
    {
        OrchestratorPhase.AdvertisingKeys => "advertise-keys",
        OrchestratorPhase.SharingKeys => "share-keys",
        _ => "masked-input",
    };

    public ProtectionStep Close(OrchestratorPhase phase, IReadOnlyCollection<string> silent)
    {
        var session = Session();
        switch (phase)
        {
            case OrchestratorPhase.AdvertisingKeys:
                var keys = session.CloseKeyAdvertisement();
                return new(OrchestratorPhase.SharingKeys, ProtectionStep.Broadcast(keys.Keys.Select(k => k.Sender), new SiteTask { AdvertisedKeys = keys }));
            case OrchestratorPhase.SharingKeys:
                var deliveries = session.CloseShareKeys();
                return new(OrchestratorPhase.CollectingInputs, deliveries.ToDictionary(d => d.Recipient, d => new SiteTask { Shares = d }, StringComparer.Ordinal));
            case OrchestratorPhase.CollectingInputs:
                var survivors = session.CloseMaskedInput();
                return new(OrchestratorPhase.CheckingConsistency, ProtectionStep.Broadcast(survivors.Survivors, new SiteTask { Survivors = survivors }))
                {
                    Participants = survivors.Survivors,
                };
            case OrchestratorPhase.CheckingConsistency:
                var requests = session.CloseConsistencyCheck();
                return new(OrchestratorPhase.Unmasking, requests.ToDictionary(r => r.Recipient, r => new SiteTask { Unmask = r }, StringComparer.Ordinal));
            case OrchestratorPhase.Unmasking:
                var aggregate = session.Finish();
                var digest = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(aggregate.Sum.Span)));
                return new(OrchestratorPhase.Completed, new Dictionary<string, SiteTask>())
                {
                    Sum = new RoundSum(aggregate.Decode(), digest, aggregate.Contributors, aggregate.Dropped),
                };
            default:
                throw new OrchestratorException($"No pairwise phase to close in {phase}.");
        }
    }

    public void EndRound()
    {
        _session?.Dispose();
        _session = null;
        foreach (var (hash, _) in _uploads.Values)
        {
            hash.Dispose();
        }

        _uploads.Clear();
    }

    public void Dispose() => EndRound();

    private AggregatorSession Session() => _session ?? throw new OrchestratorException("No pairwise round is open.");
}
