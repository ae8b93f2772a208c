using Google.Protobuf;
using HospitalFed.Aggregator.Jobs;
using HospitalFed.Aggregator.Orchestration.Protection;
using HospitalFed.Ledger.Log;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Federation;

namespace HospitalFed.Aggregator.Orchestration;

/// <summary>
/// Drives an approved plan's rounds as a pure state machine: the host feeds it connections, site
/// messages and clock ticks, and pushes the <see cref="Outgoing"/> tasks it returns. It does no
/// network I/O; its only side effect is appending signed entries to the round log. The round flow
/// (invite, train, protected upload, aggregate, new model, result) is shared; the plan's protection
/// supplies the phases in between: pairwise masking (Bonawitz et al., CCS 2017), multiparty CKKS
/// (Mouchet et al., PETS 2021; with a set-up before round 1) or none (a plaintext baseline).
/// </summary>
/// <remarks>
/// Each phase closes when every expected site has answered or at its deadline (checked by
/// <see cref="Tick"/>); a site that misses a deadline is a dropout, logged as such. A protected
/// upload reaches the orchestrator only once its stream completed whole (the host spools it), so a
/// site cut off mid-upload is simply silent in the input phase. A round that cannot complete safely
/// (fewer than t sites, too few decryption shares) is aborted and logged; the plan then waits for
/// sites (<see cref="WaitingReason"/>) and goes on under the next round number once enough are
/// connected: it never fails after round 1 opened, only before (too few sites, or a failed set-up). With pairwise
/// or CKKS protection individual inputs are never visible here: only masked words or ciphertexts go
/// into the running sum. Not thread-safe: the host serialises calls.
/// </remarks>
public sealed partial class Orchestrator : IDisposable
{
    private readonly OrchestratorContext _context;
    private readonly TimeProvider _time;
    private readonly HashSet<string> _connected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SiteTask> _due = new(StringComparer.Ordinal);
    private readonly HashSet<string> _awaiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _decisions = new(StringComparer.Ordinal);
    private readonly List<RoundRecord> _history = [];

    /// <summary>The plan's approval entries as standalone lines, in log order; extended from <see cref="_approvalsScanned"/> on.</summary>
    private readonly List<ByteString> _approvalLines = [];
    private readonly IRoundProtection _protection;
    private RoundInvitation? _invitation;
    private string _modelDigest;
    private DateTimeOffset _deadline;
    private long _approvalsScanned;

    /// <summary>Creates the orchestrator; call <see cref="Start"/> next.</summary>
    public Orchestrator(OrchestratorContext context, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Options.Validate();
        _context = context;
        _time = time ?? TimeProvider.System;
        _modelDigest = context.Job.Digest();
        _protection = RoundProtections.Create(context, _time);
    }

    /// <summary>The current phase.</summary>
    public OrchestratorPhase Phase { get; private set; }

    /// <summary>The current (or last) round.</summary>
    public long Round { get; private set; }

    /// <summary>Why the plan failed, when <see cref="Phase"/> is <see cref="OrchestratorPhase.Failed"/>.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>
    /// Why a started plan waits for sites again (its last round aborted, or too few sites remain for
    /// the next); null before round 1 and while rounds run. The plan stays up and goes on under the
    /// next round number once enough sites are connected.
    /// </summary>
    public string? WaitingReason { get; private set; }

    /// <summary>The learning job (the current global model and statistics).</summary>
    public IFederatedJob Job => _context.Job;

    /// <summary>The completed rounds.</summary>
    public IReadOnlyList<RoundRecord> History => _history;

    /// <summary>The sites currently connected.</summary>
    public IReadOnlyCollection<string> Connected => _connected;

    /// <summary>When the current phase closes (the host calls <see cref="Tick"/> then).</summary>
    public DateTimeOffset Deadline => _deadline;

    /// <summary>
    /// Checks the plan's m-of-n approvals in the round log and starts waiting for sites.
    /// </summary>
    /// <exception cref="OrchestratorException">Already started, or the plan lacks valid approvals.</exception>
    public void Start()
    {
        Expect(OrchestratorPhase.Created, "start");
        var plan = _context.Plan;
        if (plan.PerRoundApproval)
        {
            throw new OrchestratorException($"Plan {plan.Id} requires per-round approvals; this aggregator runs plans approved once only.");
        }

        if (_context.Options.Sites.Count < plan.MinSites)
        {
            throw new OrchestratorException($"Plan {plan.Id} needs {plan.MinSites} sites but only {_context.Options.Sites.Count} are invited.");
        }

        var approvals = Entries().Where(e => e.Kind == LogEntryKind.Approval && e.PlanId == plan.Id && e.Round == 0);
        var outcome = _context.Approvals.Evaluate(plan.Id, 0, approvals, _time.GetUtcNow());
        if (!outcome.Approved)
        {
            var refused = outcome.Refused.Count > 0 ? $"; refused: {string.Join("; ", outcome.Refused)}" : string.Empty;
            throw new OrchestratorException($"Plan {plan.Id} has {outcome.Approvers.Count} valid approvals of the {outcome.Required} required{refused}.");
        }

        // Decisions already in the log (a restarted aggregator, or sites that decided offline) count.
        foreach (var decision in Entries().Where(e => e.Kind == LogEntryKind.SiteDecision && e.PlanId == plan.Id))
        {
            _decisions[decision.Author] = decision.Body["accept"]!.GetValue<bool>();
        }

        RememberCountersignatures();
        Phase = OrchestratorPhase.WaitingForSites;
        _deadline = _time.GetUtcNow() + _context.Options.JoinTimeout;
    }

    /// <summary>The fewest sites a round may run with (the plan's minimum, at least 2).</summary>
    public int MinSites => Math.Max(2, _context.Plan.MinSites);

    /// <summary>The sites that accepted the plan.</summary>
    public IReadOnlyCollection<string> Accepted => [.. _decisions.Where(d => d.Value).Select(d => d.Key)];

    /// <summary>A site's task stream opened. Returns its due task (a reconnecting site gets it again) and, when enough sites are in, the next round's invitations.</summary>
    /// <exception cref="OrchestratorException">The site is not invited to this plan.</exception>
    public IReadOnlyList<Outgoing> Connect(string site)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (!_context.Options.Sites.Contains(site, StringComparer.Ordinal))
        {
            throw new OrchestratorException($"'{site}' is not invited to plan {_context.Plan.Id}.");
        }

        _connected.Add(site);
        if (Phase == OrchestratorPhase.WaitingForSites)
        {
            if (!_decisions.ContainsKey(site))
            {
                return [new Outgoing(site, new SiteTask { PlanOffer = Offer() })];
            }

            if (EveryoneDecided())
            {
                return OpenFirstRound();
            }
        }

        return _due.TryGetValue(site, out var task) ? [new Outgoing(site, task)] : [];
    }

    /// <summary>A site's task stream closed. It stays a participant until it misses a deadline.</summary>
    public void Disconnect(string site) => _connected.Remove(site);

    /// <summary>Closes the current phase if its deadline has passed.</summary>
    public IReadOnlyList<Outgoing> Tick()
    {
        if (Phase is OrchestratorPhase.Created or OrchestratorPhase.Completed or OrchestratorPhase.Failed || _time.GetUtcNow() < _deadline)
        {
            return [];
        }

        if (Phase == OrchestratorPhase.WaitingForSites)
        {
            return OpenFirstRound();
        }

        return ClosePhase();
    }

    /// <summary>
    /// The largest message a site and this aggregator exchange for the plan: the model-sized task
    /// (<see cref="FederationLimits.TaskMessageBytes"/>), or the protection's own largest message
    /// when it grows with the consortium (a CKKS decryption request carries every contributor's c1).
    /// </summary>
    public int LargestMessageBytes => (int)Math.Min(
        int.MaxValue,
        Math.Max(FederationLimits.TaskMessageBytes(_context.Job.GlobalModel.Length), _protection.LargestMessageBytes(_context.Options.Sites.Count)));

    /// <summary>Erases the running sum of an unfinished round.</summary>
    public void Dispose() => _protection.Dispose();

    internal static ByteString ModelBytes(ReadOnlySpan<float> model) =>
        ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(model));

    /// <summary>
    /// Starts the protection's set-up (CKKS key generation) or opens round 1 with the connected
    /// sites that accepted, or fails if fewer than the plan's minimum did.
    /// </summary>
    private IReadOnlyList<Outgoing> OpenFirstRound()
    {
        var ready = ReadySites();
        if (ready.Count < Math.Max(2, _context.Plan.MinSites))
        {
            var reason = $"only {ready.Count} sites connected and accepted the plan; it requires {_context.Plan.MinSites}";
            return Round == 0 ? Fail(reason) : Wait(reason);
        }

        // Past round 0 the set-up (if any) is done: an aborted round's successor needs none.
        if (Round == 0 && _protection.BeginSetup(ready, [.. ApprovalLines()]) is { } setup)
        {
            _deadline = _time.GetUtcNow() + _context.Options.PhaseTimeout;
            Phase = setup.Phase;
            return Assign(setup.Tasks);
        }

        return OpenRound();
    }

    /// <summary>Connected sites that accepted the plan: the next round's participants.</summary>
    private List<string> ReadySites() => [.. _connected.Where(s => _decisions.GetValueOrDefault(s)).Order(StringComparer.Ordinal)];

    private bool EveryoneDecided() => _context.Options.Sites.All(s => _decisions.ContainsKey(s) && _connected.Contains(s));

    private PlanOffer Offer()
    {
        var offer = new PlanOffer { PlanId = _context.Plan.Id, Plan = ByteString.CopyFrom(_context.Plan.CanonicalBytes) };
        offer.Approvals.AddRange(ApprovalLines());
        return offer;
    }

    /// <summary>
    /// The plan's approvals, sent with every offer and invitation. Each entry of the log is read
    /// once for this (incrementally, from where the last call stopped): reading the whole log
    /// again each round made a round's cost grow with the round number.
    /// </summary>
    private IReadOnlyList<ByteString> ApprovalLines()
    {
        foreach (var entry in Entries(_approvalsScanned))
        {
            if (entry.Kind == LogEntryKind.Approval && entry.PlanId == _context.Plan.Id)
            {
                _approvalLines.Add(ByteString.CopyFrom(LogLine.Encode(entry, null)));
            }
        }

        _approvalsScanned = _context.Log.Size;
        return _approvalLines;
    }

    private IEnumerable<LogEntry> Entries(long from = 0)
    {
        for (var i = from; i < _context.Log.Size; i++)
        {
            yield return _context.Log.Entry(i);
        }
    }

    private void Expect(OrchestratorPhase phase, string what)
    {
        if (Phase != phase)
        {
            throw new OrchestratorException($"Cannot {what} in phase {Phase}.");
        }
    }

    /// <summary>
    /// Waits for sites again without failing: the next round opens once every invited site is
    /// connected, or at the join deadline if enough are (<see cref="OpenFirstRound"/> past round 0).
    /// </summary>
    private IReadOnlyList<Outgoing> Wait(string reason)
    {
        WaitingReason = reason;
        Phase = OrchestratorPhase.WaitingForSites;
        _deadline = _time.GetUtcNow() + _context.Options.JoinTimeout;
        _protection.EndRound();
        _due.Clear();
        _awaiting.Clear();
        return [];
    }

    private IReadOnlyList<Outgoing> Fail(string reason)
    {
        FailureReason = reason;
        Phase = OrchestratorPhase.Failed;
        _protection.EndRound();
        _due.Clear();
        return [];
    }
}
