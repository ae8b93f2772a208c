using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;
using HospitalFed.Site.Rounds.Protection;

namespace HospitalFed.Site.Rounds;

/// <summary>
/// The site's side of a plan as a pure state machine: each task pushed by the aggregator goes in,
/// the site's answer comes out. Before joining a round it checks, itself, that the plan hashes to
/// its id, satisfies the local <see cref="SitePolicy"/> and carries the consortium's m-of-n admin
/// approvals; then it computes its vector and protects it as the plan says: pairwise masking, CKKS
/// under the plan's collective key (set up once, before round 1), or, only if the policy allows
/// unprotected plans, in the clear. No I/O; a repeated task gets the same answer, so a
/// reconnecting worker can replay safely. Not thread-safe.
/// </summary>
public sealed partial class SiteAgent : IDisposable
{
    private readonly SiteAgentContext _context;
    private readonly TimeProvider _time;
    private readonly RandomNumberGenerator? _random;
    private ISiteProtection? _protection;
    private string? _protectionPlan;
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

    /// <summary>Whether the plan is over for this site: completed, its set-up aborted, or a fork seen. An aborted round does not end it: the next round has a new number.</summary>
    public bool PlanEnded { get; private set; }

    /// <summary>Why the last round was declined or aborted, if it was.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Handles one task from the aggregator.</summary>
    /// <exception cref="SecAggException">The task breaks the secure-aggregation protocol (the site refuses to answer it).</exception>
    /// <exception cref="InvalidOperationException">The task arrived with no round joined, or breaks the CKKS protocol.</exception>
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
            SiteTask.TaskOneofCase.CkksSetup => SetUp(task.CkksSetup),
            SiteTask.TaskOneofCase.Invitation => Join(task.Invitation),
            SiteTask.TaskOneofCase.Unmask or SiteTask.TaskOneofCase.CkksDecryption => Reveal(task),
            SiteTask.TaskOneofCase.Result => Complete(task.Result),
            SiteTask.TaskOneofCase.Aborted => Abort(task.Aborted),
            SiteTask.TaskOneofCase.None => throw new InvalidOperationException("The aggregator sent an empty task."),
            _ => _protection?.Handle(task) ?? throw new InvalidOperationException($"A {task.TaskCase} task arrived, but this site runs no plan that uses it."),
        };
        _lastTask = task.Clone();
        _lastReply = reply;
        return reply;
    }

    /// <summary>Erases the round's secrets and update, and the plan's keys held in memory.</summary>
    public void Dispose() => _protection?.Dispose();

    /// <summary>Decides on the plan before its first round, signing the decision for the round log.</summary>
    private SiteReply Decide(PlanOffer offer)
    {
        if (RememberedDecision(offer.PlanId) is { } remembered)
        {
            LastRefusal = State!.Accepted ? null : RememberedReasons(remembered);
            return SiteReply.Send(new SiteMessage { SiteDecision = remembered });
        }

        var reasons = VetPlan(offer.PlanId, offer.Plan, offer.Approvals, 0, out _);
        LastRefusal = reasons.Count > 0 ? string.Join("; ", reasons) : null;
        var entry = LogEntry.Sign(_context.Identity, offer.PlanId, LogEntries.SiteDecision(reasons.Count == 0, reasons), _time.GetUtcNow());
        var line = LogLine.Encode(entry, null);
        RememberDecision(offer.PlanId, reasons.Count == 0, line);
        return SiteReply.Send(new SiteMessage { SiteDecision = Google.Protobuf.ByteString.CopyFrom(line) });
    }

    /// <summary>The CKKS set-up of a plan the site accepts: it vets the plan again (a restarted site may not have seen the offer).</summary>
    private SiteReply SetUp(CkksSetup setup)
    {
        var reasons = VetPlan(setup.PlanId, setup.Plan, setup.Approvals, 0, out var plan);
        if (reasons.Count > 0 || plan!.Protection != HospitalFed.Ledger.Plans.Protection.Ckks)
        {
            // No answer: the aggregator's deadline leaves this site out of the key holders.
            LastRefusal = reasons.Count > 0 ? string.Join("; ", reasons) : $"plan {setup.PlanId} does not use CKKS";
            throw new InvalidOperationException($"CKKS set-up of plan {setup.PlanId} refused: {LastRefusal}");
        }

        return ProtectionFor(plan).Handle(new SiteTask { CkksSetup = setup })!;
    }

    private SiteReply Join(RoundInvitation invitation)
    {
        _protection?.EndRound();
        var reasons = Vet(invitation, out var plan, out var quantization);
        if (reasons.Count > 0)
        {
            return Decline(invitation, reasons);
        }

        var update = _context.Contribution.Compute(invitation);
        if (plan!.Privacy is not null && invitation.Kind == RoundKind.Training)
        {
            return JoinPrivately(invitation, plan, update, quantization!);
        }

        if (update.Length != quantization!.Dimension)
        {
            throw new InvalidDataException($"Round {invitation.Round} quantises {quantization.Dimension} coordinates; this site computed {update.Length}.");
        }

        RememberJoined(invitation.PlanId, invitation.Round);
        LastRefusal = null;
        return ProtectionFor(plan).Join(invitation, update, quantization);
    }

    /// <summary>
    /// A training round under differential privacy: the delta is clipped, rotated, rounded and
    /// noised here (<see cref="PrivateFedAvgRound"/>, the same code the utility simulation runs), so what the protection masks already
    /// carries this site's noise share; the plain delta is erased before anything leaves.
    /// </summary>
    private SiteReply JoinPrivately(RoundInvitation invitation, TrainingPlan plan, float[] delta, QuantizationPlan quantization)
    {
        uint[] words;
        try
        {
            var round = new PrivateFedAvgRound(plan.Privacy!, plan.Id, invitation.Round, delta.Length, invitation.Participants.Count);
            if (round.WordCount != quantization.Dimension)
            {
                return Decline(invitation, [$"the round asks for {quantization.Dimension} words; a differentially private update of {delta.Length} coordinates is {round.WordCount} words"]);
            }

            words = new uint[round.WordCount];
            round.EncodeDelta(delta, words);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // No scale fits the round in 32 bits, or the invitation's round or site count is not one the plan's mechanism can run.
            return Decline(invitation, [ex.Message]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(delta.AsSpan()));
        }

        RememberJoined(invitation.PlanId, invitation.Round);
        LastRefusal = null;
        return ProtectionFor(plan).JoinEncoded(invitation, words, quantization);
    }

    private SiteReply Decline(RoundInvitation invitation, List<string> reasons)
    {
        LastRefusal = string.Join("; ", reasons);
        var decline = new RoundDecline { PlanId = invitation.PlanId, Round = invitation.Round, Sender = Name };
        decline.Reasons.AddRange(reasons);
        return SiteReply.Send(new SiteMessage { Decline = decline });
    }

    /// <summary>The site's own checks before it joins (a failing check declines, never throws).</summary>
    private List<string> Vet(RoundInvitation invitation, out TrainingPlan? plan, out QuantizationPlan? quantization)
    {
        quantization = null;
        var reasons = VetPlan(invitation.PlanId, invitation.Plan, invitation.Approvals, invitation.Round, out plan);
        if (plan is null)
        {
            return reasons;
        }

        if (!invitation.Participants.Contains(Name))
        {
            reasons.Add($"'{Name}' is not among the round's participants");
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

        if (reasons.Count == 0)
        {
            reasons.AddRange(ProtectionFor(plan).Vet(invitation, plan));
        }

        return reasons;
    }

    /// <summary>The protection of <paramref name="plan"/>, created once per plan (CKKS keys live as long as the plan).</summary>
    private ISiteProtection ProtectionFor(TrainingPlan plan)
    {
        if (_protection is not null && _protectionPlan == plan.Id)
        {
            return _protection;
        }

        _protection?.Dispose();
        _protectionPlan = plan.Id;
        _protection = SiteProtections.Create(plan, _context, _time, _random);
        return _protection;
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
        if (parsed.Privacy is not null && parsed.Protection != HospitalFed.Ledger.Plans.Protection.Pairwise)
        {
            // Never a silent un-noised path: this release adds the noise share before pairwise masking only.
            reasons.Add($"the plan's differential privacy needs pairwise masking in this release; it asks for {parsed.Protection.ToString().ToLowerInvariant()} protection, and this site would not add its noise share under it");
        }

        if (_context.Contribution.Refusal(parsed) is { } refusal)
        {
            reasons.Add(refusal);
        }

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

    private SiteReply Complete(RoundResult result)
    {
        _protection?.EndRound();
        if (State is { HeadRefusal: { } refused } state && state.PlanId == result.PlanId)
        {
            LastRefusal = refused;
            PlanEnded = true; // a site that saw a fork takes no further part in the plan
            return SiteReply.None;
        }

        SiteMessage? countersignature = null;
        if (!result.TreeHead.IsEmpty && (countersignature = Countersign(result)) is null)
        {
            return SiteReply.None; // refused: neither the model nor the head is accepted
        }

        Model = MemoryMarshal.Cast<byte, float>(result.Model.Span).ToArray();
        ModelDigest = result.ModelDigest;
        LastCompletedRound = result.Round;
        PlanCompleted = result.PlanCompleted;
        PlanEnded = result.PlanCompleted;
        RememberResult(result);
        return countersignature is null ? SiteReply.None : SiteReply.Send(countersignature);
    }

    private SiteReply Abort(RoundAborted aborted)
    {
        _protection?.EndRound();
        LastRefusal = $"round {aborted.Round} aborted: {aborted.Reason}";

        // An aborted round does not end the plan: the aggregator opens the next round under a new
        // number once enough sites are connected, so this site waits for it. Only an aborted
        // set-up (round 0) ends the plan.
        PlanEnded = aborted.Round == 0;
        return SiteReply.None;
    }
}
