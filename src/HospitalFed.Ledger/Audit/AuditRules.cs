using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Log.Merkle;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Audit;

/// <summary>
/// The governance rules a log must follow, checked entry by entry in log order (entries are
/// already known to be well formed and signed by a valid author):
/// entry 0 is the CA-signed consortium config and entry 1 the plan whose hash is the plan id;
/// aggregator entries come from the configured aggregator; approvals are by distinct configured
/// admins and m of them count, at the time it is used, before the first round (and before each
/// round under per-round approval); invited sites accepted the plan; rounds run in order up to
/// the planned number; each aggregate has at least the plan's minimum sites, all of which
/// uploaded; the model digests chain; under a plan with differential privacy every training round
/// logs one privacy spend whose figures the auditor recomputes and whose total stays within the
/// approved epsilon (<see cref="PrivacySpend"/>);
/// no entry is dated more than <see cref="LogTimeRule.ClockSkewTolerance"/> before one logged
/// earlier (approvals and site decisions, signed ahead, excepted);
/// every tree head covers exactly the entries before it with the right root, and every
/// countersignature matches a head in the log.
/// </summary>
internal sealed partial class AuditRules
{
    private readonly X509Certificate2 _root;
    private readonly IRevocationSource _revocation;
    private readonly AuditSummary _summary;
    private readonly Dictionary<long, List<LogEntry>> _approvals = [];
    private readonly Dictionary<string, bool> _decisions = new(StringComparer.Ordinal);
    private readonly Dictionary<long, byte[]> _heads = [];
    private readonly HashSet<(long Size, string Site)> _countersigned = [];
    private ConsortiumConfig? _config;
    private ApprovalPolicy? _policy;
    private TrainingPlan? _plan;
    private string? _planId;

    public AuditRules(X509Certificate2 root, IRevocationSource revocation, AuditSummary summary)
    {
        _root = root;
        _revocation = revocation;
        _summary = summary;
    }

    public void Apply(long index, LogEntry entry, MerkleFrontier frontier)
    {
        _summary.Timeline.Add((index, entry.Time, LogEntryKinds.Name(entry.Kind), entry.Author, entry.Round));
        TimeOrder(index, entry);
        if (index == 0)
        {
            Consortium(entry);
            return;
        }

        if (!string.Equals(entry.PlanId, _planId, StringComparison.Ordinal))
        {
            throw new AuditCheckException("plan", $"entry is for plan {entry.PlanId}, the log is for plan {_planId}");
        }

        if (index == 1)
        {
            Plan(entry);
            return;
        }

        var config = _config!;
        var plan = _plan!;
        if (LogEntryKinds.Authors(entry.Kind) is [ConsortiumRole.Aggregator] && !string.Equals(entry.Author, config.Aggregator, StringComparison.Ordinal))
        {
            throw new AuditCheckException("author", $"'{entry.Author}' wrote a {LogEntryKinds.Name(entry.Kind)} entry, but the consortium's aggregator is '{config.Aggregator}'");
        }

        if (entry.Kind is LogEntryKind.Consortium or LogEntryKind.PlanProposed)
        {
            throw new AuditCheckException("order", $"a second {LogEntryKinds.Name(entry.Kind)} entry (only entry 0 and entry 1 may be)");
        }

        if ((entry.Kind is LogEntryKind.SiteDecision or LogEntryKind.TreeHead or LogEntryKind.Countersignature) && entry.Round != 0)
        {
            throw new AuditCheckException("round", $"a {LogEntryKinds.Name(entry.Kind)} entry belongs to the plan (round 0), not round {entry.Round}");
        }

        switch (entry.Kind)
        {
            case LogEntryKind.Approval:
                Approval(entry, plan);
                break;
            case LogEntryKind.SiteDecision:
                SiteDecision(entry);
                break;
            case LogEntryKind.TreeHead:
                Head(index, entry, frontier);
                break;
            case LogEntryKind.Countersignature:
                Countersignature(entry);
                break;
            default:
                RoundEntry(entry, plan);
                break;
        }
    }

    private void Consortium(LogEntry entry)
    {
        if (entry.Kind != LogEntryKind.Consortium)
        {
            throw new AuditCheckException("order", $"entry 0 must be the consortium config, found {LogEntryKinds.Name(entry.Kind)}");
        }

        try
        {
            _config = ConsortiumConfig.FromSignedJson(entry.Body, _root);
        }
        catch (PlanException ex)
        {
            throw new AuditCheckException("consortium config", ex.Message);
        }

        if (!string.Equals(entry.Author, _config.Aggregator, StringComparison.Ordinal))
        {
            throw new AuditCheckException("author", $"the log was started by '{entry.Author}', but the consortium's aggregator is '{_config.Aggregator}'");
        }

        _policy = new ApprovalPolicy(_config, _root, _revocation);
        _planId = entry.PlanId;
        _summary.PlanId = _planId;
        _summary.Consortium = _config.Name;
        _summary.Admins = _config.Admins;
        _summary.ApprovalThreshold = _config.ApprovalThreshold;
    }

    private void Plan(LogEntry entry)
    {
        if (entry.Kind != LogEntryKind.PlanProposed || entry.Round != 0)
        {
            throw new AuditCheckException("order", $"entry 1 must be the plan (round 0), found {LogEntryKinds.Name(entry.Kind)} round {entry.Round}");
        }

        if (entry.Body.Count != 1 || entry.Body["plan"] is not JsonObject document)
        {
            throw new AuditCheckException("plan", "the body must be {\"plan\": {...}}");
        }

        try
        {
            _plan = TrainingPlan.FromNode(document);
        }
        catch (PlanException ex)
        {
            throw new AuditCheckException("plan", ex.Message);
        }

        if (!string.Equals(_plan.Id, _planId, StringComparison.Ordinal))
        {
            throw new AuditCheckException("plan", $"the plan document hashes to {_plan.Id}, but the log is for plan {_planId}");
        }

        _summary.PlannedRounds = _plan.Rounds;
        _summary.MinSites = _plan.MinSites;
        _summary.Privacy = _plan.Privacy;
    }

    private void Approval(LogEntry entry, TrainingPlan plan)
    {
        if (entry.Body.Count != 1 || entry.Body["decision"] is not JsonValue d || !d.TryGetValue<string>(out var decision) || decision != "approve")
        {
            throw new AuditCheckException("approval", "the body must be {\"decision\":\"approve\"}");
        }

        if (entry.Round != 0 && (!plan.PerRoundApproval || entry.Round > plan.Rounds))
        {
            throw new AuditCheckException("approval", $"approval for round {entry.Round}, but the plan {(plan.PerRoundApproval ? $"has {plan.Rounds} rounds" : "does not use per-round approval")}");
        }

        if (entry.Round == 0 ? _nextRound > 1 : entry.Round < _nextRound)
        {
            throw new AuditCheckException("approval", $"approval by '{entry.Author}' for {(entry.Round == 0 ? "the plan" : $"round {entry.Round}")} was logged after that training started");
        }

        var reason = _policy!.Check(entry, _planId!, entry.Round, entry.Time);
        if (reason is not null)
        {
            throw new AuditCheckException("approval", reason);
        }

        var list = _approvals.TryGetValue(entry.Round, out var existing) ? existing : _approvals[entry.Round] = [];
        if (list.Any(a => string.Equals(a.Author, entry.Author, StringComparison.Ordinal)))
        {
            throw new AuditCheckException("approval", $"'{entry.Author}' approved {(entry.Round == 0 ? "the plan" : $"round {entry.Round}")} twice (a replayed or duplicated approval)");
        }

        list.Add(entry);
    }

    private void SiteDecision(LogEntry entry)
    {
        var body = entry.Body;
        if (body.Count != 2 || body["accept"] is not JsonValue a || !a.TryGetValue<bool>(out var accept) || body["reasons"] is not JsonArray reasons)
        {
            throw new AuditCheckException("site decision", "the body must be {\"accept\": true|false, \"reasons\": [...]}");
        }

        if (!_decisions.TryAdd(entry.Author, accept))
        {
            throw new AuditCheckException("site decision", $"'{entry.Author}' decided on the plan twice");
        }

        if (accept)
        {
            _summary.SitesAccepted.Add(entry.Author);
        }
        else
        {
            _summary.SitesRefused[entry.Author] = string.Join("; ", reasons.Select(r => r?.ToString()));
        }
    }

    private void Head(long index, LogEntry entry, MerkleFrontier frontier)
    {
        TreeHead head;
        try
        {
            head = TreeHead.From(entry);
        }
        catch (FormatException ex)
        {
            throw new AuditCheckException("tree head", ex.Message);
        }

        if (head.Size != index)
        {
            throw new AuditCheckException("tree head", $"a head at index {index} must cover the {index} entries before it, but it claims size {head.Size}");
        }

        var root = frontier.Root();
        if (!CryptographicOperations.FixedTimeEquals(root, head.Root))
        {
            throw new AuditCheckException("tree head", $"the signed root for size {head.Size} is {Convert.ToHexStringLower(head.Root)}, but the entries before it hash to {Convert.ToHexStringLower(root)}: an earlier entry was altered, removed, inserted or reordered");
        }

        _heads[head.Size] = head.Root;
        _summary.TreeHeads++;
        _summary.LastHeadSize = head.Size;
        _summary.LastHeadWitnesses.Clear();
    }

    private void Countersignature(LogEntry entry)
    {
        TreeHead head;
        try
        {
            head = TreeHead.From(entry);
        }
        catch (FormatException ex)
        {
            throw new AuditCheckException("countersignature", ex.Message);
        }

        if (!_heads.TryGetValue(head.Size, out var root))
        {
            throw new AuditCheckException("countersignature", $"'{entry.Author}' countersigned a head of size {head.Size} that this log never signed");
        }

        if (!CryptographicOperations.FixedTimeEquals(root, head.Root))
        {
            throw new AuditCheckException("fork", $"'{entry.Author}' countersigned root {Convert.ToHexStringLower(head.Root)} for size {head.Size}, but this log's head for that size is {Convert.ToHexStringLower(root)}: two heads for one size");
        }

        if (!_countersigned.Add((head.Size, entry.Author)))
        {
            throw new AuditCheckException("countersignature", $"'{entry.Author}' countersigned the head of size {head.Size} twice");
        }

        _summary.Countersignatures++;
        if (head.Size == _summary.LastHeadSize)
        {
            _summary.LastHeadWitnesses.Add(entry.Author);
        }
    }
}
