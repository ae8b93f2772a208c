using System.Text.Json.Nodes;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Audit;

/// <summary>The per-round rules: opening, uploads, dropouts, participants, aggregate, model chain, metrics, DP spend.</summary>
internal sealed partial class AuditRules
{
    private long _nextRound = 1;
    private RoundSummary? _current;
    private string? _lastModel;
    private long _completedRounds;

    private void RoundEntry(LogEntry entry, TrainingPlan plan)
    {
        if (entry.Kind == LogEntryKind.RoundOpened)
        {
            Open(entry, plan);
            return;
        }

        var round = _current;
        if (round?.AbortReason is not null && entry.Round == round.Round)
        {
            throw new AuditCheckException("round", $"a {LogEntryKinds.Name(entry.Kind)} entry for round {entry.Round} after it was aborted");
        }

        if (round is null || entry.Round != round.Round)
        {
            throw new AuditCheckException("round", $"a {LogEntryKinds.Name(entry.Kind)} entry for round {entry.Round}, but {(round is null ? "no round is open" : $"round {round.Round} is the current one")}");
        }

        switch (entry.Kind)
        {
            case LogEntryKind.Upload:
                Upload(entry, round);
                break;
            case LogEntryKind.Dropout:
                Dropout(entry, round);
                break;
            case LogEntryKind.Participants:
                Participants(entry, round, plan);
                break;
            case LogEntryKind.Aggregate:
                Aggregate(entry, round);
                SpendBeforeAggregate(round, plan);
                break;
            case LogEntryKind.Model:
                Model(entry, round);
                break;
            case LogEntryKind.Metrics:
                NoMetricsUnderPrivacy(round, plan);
                Metrics(entry, round);
                break;
            case LogEntryKind.PrivacySpend:
                PrivacySpend(entry, round, plan);
                break;
            case LogEntryKind.RoundAborted:
                Aborted(entry, round);
                break;
            default:
                throw new AuditCheckException("kind", $"unexpected {LogEntryKinds.Name(entry.Kind)} entry");
        }
    }

    private void Open(LogEntry entry, TrainingPlan plan)
    {
        if (entry.Round != _nextRound)
        {
            throw new AuditCheckException("round", $"round {entry.Round} opened, but the next round is {_nextRound}");
        }

        // Round numbers never repeat (an aborted round's successor gets the next one, so no signature
        // or mask of the aborted round can be replayed into it); the plan's count is of completed rounds.
        if (_completedRounds >= plan.Rounds)
        {
            throw new AuditCheckException("round", $"round {entry.Round} opened, but the plan's {plan.Rounds} rounds are complete");
        }

        if (_current is { Complete: false, AbortReason: null } open)
        {
            throw new AuditCheckException("round", $"round {entry.Round} opened before round {open.Round} produced a model");
        }

        // The plan's approvals are counted when training starts: an admin revoked or expired
        // before then no longer counts; one revoked later does not retroactively stop a plan
        // the consortium approved (per-round approval is the tool for that).
        if (entry.Round == 1)
        {
            var outcome = _policy!.Evaluate(_planId!, 0, _approvals.GetValueOrDefault(0) ?? [], entry.Time);
            if (!outcome.Approved)
            {
                throw new AuditCheckException("approvals", Shortfall("training started", outcome));
            }

            _summary.PlanApprovers = outcome.Approvers;
        }

        IReadOnlyList<string> roundApprovers = [];
        if (plan.PerRoundApproval)
        {
            var perRound = _policy!.Evaluate(_planId!, entry.Round, _approvals.GetValueOrDefault(entry.Round) ?? [], entry.Time);
            if (!perRound.Approved)
            {
                throw new AuditCheckException("approvals", Shortfall($"round {entry.Round} opened", perRound));
            }

            roundApprovers = perRound.Approvers;
        }

        var body = entry.Body;
        var model = Digest(body, "globalModel", "round opened");
        var sites = Names(body, "sites", "round opened");
        var deadline = body["deadline"] is JsonValue dv && dv.TryGetValue<string>(out var d) ? d : null;
        if (body.Count != 3 || deadline is null)
        {
            throw new AuditCheckException("round opened", "the body must be {\"deadline\", \"globalModel\", \"sites\"}");
        }

        if (_lastModel is not null && !string.Equals(model, _lastModel, StringComparison.Ordinal))
        {
            throw new AuditCheckException("model chain", $"round {entry.Round} starts from model {model}, but the last completed round produced {_lastModel}");
        }

        var notAccepted = sites.Where(s => !_decisions.GetValueOrDefault(s)).ToArray();
        if (notAccepted.Length > 0)
        {
            throw new AuditCheckException("site consent", $"round {entry.Round} invited {string.Join(", ", notAccepted.Select(s => $"'{s}'"))}, which did not accept the plan");
        }

        if (sites.Count < plan.MinSites)
        {
            throw new AuditCheckException("minimum sites", $"round {entry.Round} invited {sites.Count} sites; the plan requires at least {plan.MinSites}");
        }

        _current = new RoundSummary { Round = entry.Round, OpenedAt = entry.Time, Invited = sites, StartModel = model, Approvers = roundApprovers, PoolsStatistics = _completedRounds == 0 };
        _summary.Rounds.Add(_current);
        _nextRound++;
    }

    private static void Aborted(LogEntry entry, RoundSummary round)
    {
        Expect(!round.Complete, "round aborted", $"round {round.Round} was aborted after it produced a model");
        var body = entry.Body;
        Expect(body.Count == 1 && body["reason"] is JsonValue r && r.TryGetValue<string>(out var reason) && reason.Length > 0, "round aborted", "the body must be {\"reason\": a non-empty string}");
        round.AbortReason = body["reason"]!.GetValue<string>();
    }

    private static void Upload(LogEntry entry, RoundSummary round)
    {
        Expect(round.Participants.Count == 0, "upload", $"'{entry.Author}' uploaded after the participants of round {round.Round} were fixed");
        Expect(round.Invited.Contains(entry.Author), "upload", $"'{entry.Author}' uploaded to round {round.Round} without being invited");
        Expect(!round.Uploads.Contains(entry.Author), "upload", $"'{entry.Author}' uploaded twice in round {round.Round}");
        Expect(!round.Dropouts.Contains(entry.Author), "upload", $"'{entry.Author}' uploaded after being logged as dropped");
        _ = Digest(entry.Body, "digest", "upload");
        Expect(entry.Body.Count == 2 && entry.Body["bytes"] is JsonValue b && b.TryGetValue<long>(out var n) && n > 0, "upload", "the body must be {\"bytes\": a positive integer, \"digest\"}");
        round.Uploads.Add(entry.Author);
    }

    private static void Dropout(LogEntry entry, RoundSummary round)
    {
        var body = entry.Body;
        Expect(body.Count == 2 && body["site"] is JsonValue s && s.TryGetValue<string>(out _) && body["stage"] is JsonValue st && st.TryGetValue<string>(out _), "dropout", "the body must be {\"site\", \"stage\"}");
        var site = body["site"]!.GetValue<string>();
        Expect(round.Invited.Contains(site), "dropout", $"'{site}' was not invited to round {round.Round}");
        Expect(!round.Dropouts.Contains(site), "dropout", $"'{site}' dropped out of round {round.Round} twice");
        Expect(!round.Participants.Contains(site), "dropout", $"'{site}' is logged as a participant of round {round.Round}");
        round.Dropouts.Add(site);
    }

    private static void Participants(LogEntry entry, RoundSummary round, TrainingPlan plan)
    {
        Expect(round.Participants.Count == 0, "participants", $"the participants of round {round.Round} were logged twice");
        Expect(entry.Body.Count == 1, "participants", "the body must be {\"sites\": [...]}");
        var sites = Names(entry.Body, "sites", "participants");
        var stranger = sites.FirstOrDefault(s => !round.Uploads.Contains(s) || round.Dropouts.Contains(s));
        Expect(stranger is null, "participants", $"'{stranger}' is a participant of round {round.Round} without an upload, or after dropping out");
        Expect(sites.Count >= plan.MinSites, "minimum sites", $"round {round.Round} had {sites.Count} participants; the plan requires at least {plan.MinSites}");
        round.Participants = sites;
    }

    private static void Aggregate(LogEntry entry, RoundSummary round)
    {
        Expect(round.Participants.Count > 0, "aggregate", $"the aggregate of round {round.Round} was logged before its participants");
        Expect(round.Aggregate is null, "aggregate", $"round {round.Round} has two aggregates");
        Expect(entry.Body.Count == 2, "aggregate", "the body must be {\"contributors\", \"digest\"}");
        var contributors = Names(entry.Body, "contributors", "aggregate");
        Expect(contributors.SequenceEqual(round.Participants.Order(StringComparer.Ordinal)), "aggregate", $"the aggregate of round {round.Round} lists contributors {string.Join(", ", contributors)}, not the participants {string.Join(", ", round.Participants)}");
        round.Aggregate = Digest(entry.Body, "digest", "aggregate");
    }

    private void Model(LogEntry entry, RoundSummary round)
    {
        Expect(round.Aggregate is not null, "model chain", $"a model for round {round.Round} before its aggregate");
        Expect(round.ResultModel is null, "model chain", $"round {round.Round} has two models");
        Expect(entry.Body.Count == 2, "model chain", "the body must be {\"digest\", \"previous\"}");
        var previous = Digest(entry.Body, "previous", "model");
        Expect(string.Equals(previous, round.StartModel, StringComparison.Ordinal), "model chain", $"round {round.Round}'s model says it follows {previous}, but the round started from {round.StartModel}");
        round.ResultModel = Digest(entry.Body, "digest", "model");
        _lastModel = round.ResultModel;
        _completedRounds++; // counted here, not by scanning every past round at each opening
    }

    private static void Metrics(LogEntry entry, RoundSummary round)
    {
        Expect(round.Metrics.Count == 0, "metrics", $"round {round.Round} has two metrics entries");
        var body = entry.Body;
        Expect(body.Count == 2 && body["samples"] is JsonValue s && s.TryGetValue<long>(out var n) && n >= 0 && body["values"] is JsonObject, "metrics", "the body must be {\"samples\": integer, \"values\": {name: number}}");
        foreach (var (name, value) in (JsonObject)body["values"]!)
        {
            Expect(value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number, "metrics", $"metric '{name}' is not a number");
            round.Metrics[name] = value!.GetValue<double>();
        }
    }

    private static string Shortfall(string what, ApprovalOutcome outcome) =>
        $"{what} with {outcome.Approvers.Count} valid admin approval(s) of the {outcome.Required} required"
        + (outcome.Refused.Count > 0 ? $" ({string.Join("; ", outcome.Refused)})" : string.Empty);

    private static void Expect(bool condition, string what, string why)
    {
        if (!condition)
        {
            throw new AuditCheckException(what, why);
        }
    }

    private static string Digest(JsonObject body, string field, string what) =>
        body[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 64 && s.All(char.IsAsciiHexDigitLower)
            ? s
            : throw new AuditCheckException(what, $"'{field}' must be a SHA-256 digest in lower-case hex");

    private static List<string> Names(JsonObject body, string field, string what)
    {
        if (body[field] is not JsonArray array)
        {
            throw new AuditCheckException(what, $"'{field}' must be an array of site names");
        }

        var names = array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : throw new AuditCheckException(what, $"'{field}' must hold site names")).ToList();
        Expect(names.Distinct(StringComparer.Ordinal).Count() == names.Count, what, $"'{field}' lists a site twice");
        return names;
    }
}
