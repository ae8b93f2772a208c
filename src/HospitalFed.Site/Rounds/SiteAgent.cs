using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Site.Rounds;

/// <summary>
/// The site's side of a plan as a pure state machine: each task pushed by the aggregator goes in,
/// the site's answer comes out. Before joining a round it checks, itself, that the plan hashes to
/// its id, satisfies the local <see cref="SitePolicy"/>, carries the consortium's m-of-n admin
/// approvals and uses a safe threshold; then it computes its vector and protects it with a
/// <see cref="SiteSession"/> (pairwise masking). No I/O; a repeated task gets the same answer, so
/// a reconnecting worker can replay safely. Not thread-safe.
/// </summary>
public sealed partial class SiteAgent : IDisposable
{
    private readonly SiteAgentContext _context;
    private readonly TimeProvider _time;
    private readonly RandomNumberGenerator? _random;
    private SiteSession? _session;
    private float[]? _update;
    private SiteTask? _lastTask;
    private SiteReply _lastReply = SiteReply.None;

    /// <summary>Creates the agent.</summary>
    /// <param name="context">Identity, trust, policies and the local contribution.</param>
    /// <param name="time">The clock for certificate and approval checks.</param>
    /// <param name="random">Randomness for the SecAgg session; cryptographic by default.</param>
    /// <param name="state">What this site remembered before a restart (see <see cref="State"/>); none by default.</param>
    public SiteAgent(SiteAgentContext context, TimeProvider? time = null, RandomNumberGenerator? random = null, State.SitePlanState? state = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _time = time ?? TimeProvider.System;
        _random = random;
        Resume(state);
    }

    /// <summary>The site's name (its certificate's).</summary>
    public string Name => _context.Identity.Name;

    /// <summary>The last round whose result this site received (0 if none).</summary>
    public long LastCompletedRound { get; private set; }

    /// <summary>The global model of the last completed round, or null.</summary>
    public float[]? Model { get; private set; }

    /// <summary>The digest of <see cref="Model"/>'s global state, or null.</summary>
    public string? ModelDigest { get; private set; }

    /// <summary>Whether the plan has finished with a final model.</summary>
    public bool PlanCompleted { get; private set; }

    /// <summary>Whether the plan is over for this site: completed, or stopped by an aborted round (rounds are never re-opened).</summary>
    public bool PlanEnded { get; private set; }

    /// <summary>Why the last round was declined or aborted, if it was.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Handles one task from the aggregator.</summary>
    /// <exception cref="SecAggException">The task breaks the secure-aggregation protocol (the site refuses to answer it).</exception>
    /// <exception cref="InvalidOperationException">The task arrived with no round joined.</exception>
    public SiteReply Handle(SiteTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_lastTask is not null && _lastTask.Equals(task))
        {
            return _lastReply;
        }

        var reply = task.TaskCase switch
        {
            SiteTask.TaskOneofCase.PlanOffer => Decide(task.PlanOffer),
            SiteTask.TaskOneofCase.Invitation => Join(task.Invitation),
            SiteTask.TaskOneofCase.AdvertisedKeys => Send(new SiteMessage { ShareKeys = Session().ShareKeys(task.AdvertisedKeys) }),
            SiteTask.TaskOneofCase.Shares => Mask(task.Shares),
            SiteTask.TaskOneofCase.Survivors => Send(new SiteMessage { ConsistencyCheck = Session().CheckConsistency(task.Survivors) }),
            SiteTask.TaskOneofCase.Unmask => Unmask(task.Unmask),
            SiteTask.TaskOneofCase.Result => Complete(task.Result),
            SiteTask.TaskOneofCase.Aborted => Abort(task.Aborted),
            _ => throw new InvalidOperationException("The aggregator sent an empty task."),
        };
        _lastTask = task.Clone();
        _lastReply = reply;
        return reply;
    }

    /// <summary>Erases the round's secrets and update.</summary>
    public void Dispose() => EndRound();

    /// <summary>Decides on the plan before its first round, signing the decision for the round log.</summary>
    private SiteReply Decide(PlanOffer offer)
    {
        if (RememberedDecision(offer.PlanId) is { } remembered)
        {
            return Send(new SiteMessage { SiteDecision = remembered });
        }

        var reasons = VetPlan(offer.PlanId, offer.Plan, offer.Approvals, 0, out _);
        LastRefusal = reasons.Count > 0 ? string.Join("; ", reasons) : null;
        var entry = LogEntry.Sign(_context.Identity, offer.PlanId, LogEntries.SiteDecision(reasons.Count == 0, reasons), _time.GetUtcNow());
        var line = LogLine.Encode(entry, null);
        RememberDecision(offer.PlanId, reasons.Count == 0, line);
        return Send(new SiteMessage { SiteDecision = Google.Protobuf.ByteString.CopyFrom(line) });
    }

    private SiteReply Join(RoundInvitation invitation)
    {
        EndRound();
        var reasons = Vet(invitation, out var quantization);
        if (reasons.Count > 0)
        {
            LastRefusal = string.Join("; ", reasons);
            var decline = new RoundDecline { PlanId = invitation.PlanId, Round = invitation.Round, Sender = Name };
            decline.Reasons.AddRange(reasons);
            return Send(new SiteMessage { Decline = decline });
        }

        var update = _context.Contribution.Compute(invitation);
        if (update.Length != quantization!.Dimension)
        {
            throw new InvalidDataException($"Round {invitation.Round} quantises {quantization.Dimension} coordinates; this site computed {update.Length}.");
        }

        var parameters = new SecAggParameters(invitation.PlanId, invitation.Round, invitation.Participants, invitation.Threshold, quantization, chunkWords: invitation.ChunkWords);
        RememberJoined(invitation.PlanId, invitation.Round);
        _update = update;
        _session = new SiteSession(parameters, _context.Identity, _context.Trust, _time, _random);
        LastRefusal = null;
        return Send(new SiteMessage { AdvertiseKeys = _session.AdvertiseKeys() });
    }

    /// <summary>The site's own checks before it joins (a failing check declines, never throws).</summary>
    private List<string> Vet(RoundInvitation invitation, out QuantizationPlan? quantization)
    {
        quantization = null;
        var reasons = VetPlan(invitation.PlanId, invitation.Plan, invitation.Approvals, invitation.Round, out var plan);
        if (plan is null)
        {
            return reasons;
        }

        var n = invitation.Participants.Count;
        if (!invitation.Participants.Contains(Name))
        {
            reasons.Add($"'{Name}' is not among the round's participants");
        }

        // A threshold of n/2 or less would let a malicious aggregator unmask a single site's input
        // by presenting two disjoint views (Bonawitz et al. 2017, section 6.2).
        if (invitation.Threshold <= 2 * n / 3 || invitation.Threshold < plan.MinSites || n < plan.MinSites)
        {
            reasons.Add($"threshold {invitation.Threshold} of {n} sites is unsafe (needs more than 2n/3 and at least the plan's {plan.MinSites})");
        }

        reasons.AddRange(VetRound(invitation.PlanId, invitation.Round, plan.Rounds));

        try
        {
            quantization = new QuantizationPlan(
                invitation.Quantization.Select(s => new QuantizationSegment(s.Name, s.Length, s.Bound, (ClipMode)s.Clip, s.IsInteger)),
                invitation.MaxSites);
        }
        catch (ArgumentException ex)
        {
            reasons.Add($"the quantisation plan is invalid: {ex.Message}");
        }

        return reasons;
    }

    /// <summary>The plan hashes to its id, satisfies the site's policy and carries the m-of-n approvals (and the round's, if per-round).</summary>
    private List<string> VetPlan(string planId, Google.Protobuf.ByteString planBytes, IEnumerable<Google.Protobuf.ByteString> approvalLines, long round, out TrainingPlan? plan)
    {
        plan = null;
        TrainingPlan parsed;
        try
        {
            parsed = TrainingPlan.Parse(planBytes.Span);
        }
        catch (PlanException ex)
        {
            return [$"the plan does not parse: {ex.Message}"];
        }

        if (parsed.Id != planId)
        {
            return [$"the plan document hashes to {parsed.Id}, not {planId}"];
        }

        plan = parsed;
        var reasons = new List<string>(_context.Policy.Evaluate(parsed));
        var approvals = new List<LogEntry>();
        foreach (var line in approvalLines)
        {
            try
            {
                approvals.Add(LogLine.Decode(line.Memory, out _));
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidDataException or CryptographicException)
            {
                reasons.Add($"an approval does not decode: {ex.Message}");
            }
        }

        var now = _time.GetUtcNow();
        var outcome = _context.Approvals.Evaluate(parsed.Id, 0, approvals, now);
        if (!outcome.Approved)
        {
            reasons.Add($"the plan has {outcome.Approvers.Count} valid admin approvals of the {outcome.Required} required");
        }

        if (round > 0 && parsed.PerRoundApproval && !_context.Approvals.Evaluate(parsed.Id, round, approvals, now).Approved)
        {
            reasons.Add($"round {round} lacks its per-round approvals");
        }

        return reasons;
    }

    private SiteReply Mask(SecAggShareDelivery delivery)
    {
        var session = Session();
        session.ReceiveShares(delivery);
        var chunks = session.MaskInput(_update).ToList();
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_update.AsSpan()));
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

    private SiteReply Complete(RoundResult result)
    {
        EndRound();
        Model = MemoryMarshal.Cast<byte, float>(result.Model.Span).ToArray();
        ModelDigest = result.ModelDigest;
        LastCompletedRound = result.Round;
        PlanCompleted = result.PlanCompleted;
        PlanEnded = result.PlanCompleted;
        RememberResult(result);
        return SiteReply.None;
    }

    private SiteReply Abort(RoundAborted aborted)
    {
        EndRound();
        LastRefusal = $"round {aborted.Round} aborted: {aborted.Reason}";
        PlanEnded = true;
        return SiteReply.None;
    }

    private SiteSession Session() => _session ?? throw new InvalidOperationException("No round joined: the task has no session to answer it.");

    private static SiteReply Send(SiteMessage message) => new([message], []);

    private void EndRound()
    {
        _session?.Dispose();
        _session = null;
        if (_update is not null)
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_update.AsSpan()));
            _update = null;
        }
    }
}
