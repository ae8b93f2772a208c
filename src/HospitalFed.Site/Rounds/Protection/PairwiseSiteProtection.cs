using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Site.Rounds.Protection;

/// <summary>Pairwise masking (Bonawitz et al., CCS 2017) with a fresh <see cref="SiteSession"/> per round.</summary>
internal sealed class PairwiseSiteProtection : ISiteProtection
{
    private readonly SiteAgentContext _context;
    private readonly TimeProvider _time;
    private readonly RandomNumberGenerator? _random;
    private SiteSession? _session;
    private float[]? _update;
    private uint[]? _words;

    public PairwiseSiteProtection(SiteAgentContext context, TimeProvider time, RandomNumberGenerator? random)
    {
        _context = context;
        _time = time;
        _random = random;
    }

    public IEnumerable<string> Vet(RoundInvitation invitation, TrainingPlan plan)
    {
        // A threshold of n/2 or less would let a malicious aggregator unmask a single site's input
        // by presenting two disjoint views (Bonawitz et al. 2017, section 6.2).
        var n = invitation.Participants.Count;
        if (invitation.Threshold <= 2 * n / 3 || invitation.Threshold < plan.MinSites || n < plan.MinSites)
        {
            yield return $"threshold {invitation.Threshold} of {n} sites is unsafe (needs more than 2n/3 and at least the plan's {plan.MinSites})";
        }
    }

    public SiteReply Join(RoundInvitation invitation, float[] update, QuantizationPlan quantization)
    {
        EndRound();
        _update = update;
        return Open(invitation, quantization);
    }

    public SiteReply JoinEncoded(RoundInvitation invitation, uint[] words, QuantizationPlan quantization)
    {
        EndRound();
        _words = words;
        return Open(invitation, quantization);
    }

    public SiteReply? Handle(SiteTask task) => task.TaskCase switch
    {
        SiteTask.TaskOneofCase.AdvertisedKeys => SiteReply.Send(new SiteMessage { ShareKeys = Session().ShareKeys(task.AdvertisedKeys) }),
        SiteTask.TaskOneofCase.Shares => Mask(task.Shares),
        SiteTask.TaskOneofCase.Survivors => SiteReply.Send(new SiteMessage { ConsistencyCheck = Session().CheckConsistency(task.Survivors) }),
        SiteTask.TaskOneofCase.Unmask => SiteReply.Send(new SiteMessage { UnmaskResponse = Session().Unmask(task.Unmask) }),
        _ => null,
    };

    public void EndRound()
    {
        _session?.Dispose();
        _session = null;
        if (_update is not null)
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_update.AsSpan()));
            _update = null;
        }

        if (_words is not null)
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_words.AsSpan()));
            _words = null;
        }
    }

    public void Dispose() => EndRound();

    private SiteReply Mask(SecAggShareDelivery delivery)
    {
        var session = Session();
        session.ReceiveShares(delivery);
        List<SecAggMaskedInputChunk> chunks;
        if (_words is not null)
        {
            chunks = session.MaskEncodedInput(_words).ToList();
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_words.AsSpan()));
        }
        else
        {
            chunks = session.MaskInput(_update).ToList();
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_update.AsSpan()));
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        foreach (var chunk in chunks)
        {
            hash.AppendData(chunk.Words.Span);
            bytes += chunk.Words.Length;
        }

        var entry = LogEntry.Sign(_context.Identity, delivery.PlanId, LogEntries.Upload(delivery.Round, Convert.ToHexStringLower(hash.GetHashAndReset()), bytes), _time.GetUtcNow());
        return new SiteReply([new SiteMessage { UploadEntry = Google.Protobuf.ByteString.CopyFrom(LogLine.Encode(entry, null)) }], chunks);
    }

    private SiteReply Open(RoundInvitation invitation, QuantizationPlan quantization)
    {
        var parameters = new SecAggParameters(invitation.PlanId, invitation.Round, invitation.Participants, invitation.Threshold, quantization, chunkWords: invitation.ChunkWords);
        _session = new SiteSession(parameters, _context.Identity, _context.Trust, _time, _random);
        return SiteReply.Send(new SiteMessage { AdvertiseKeys = _session.AdvertiseKeys() });
    }

    private SiteSession Session() => _session ?? throw new InvalidOperationException("No round joined: the task has no session to answer it.");
}
