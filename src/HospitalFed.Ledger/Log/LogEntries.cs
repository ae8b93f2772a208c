using System.Text.Json.Nodes;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Log;

/// <summary>
/// Builds the content of every entry kind, so that the services (aggregator, sites, admin
/// tooling) and the verifier agree on one body shape per kind. Digests are lower-case hex SHA-256.
/// </summary>
public static class LogEntries
{
    /// <summary>Entry 0: the CA-signed consortium configuration.</summary>
    public static EntryContent Consortium(ConsortiumConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(LogEntryKind.Consortium, 0, config.ToSignedJson());
    }

    /// <summary>Entry 1: the plan document.</summary>
    public static EntryContent PlanProposed(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(LogEntryKind.PlanProposed, 0, new JsonObject { ["plan"] = plan.Document.DeepClone() });
    }

    /// <summary>An admin approves the plan (<paramref name="round"/> 0) or one round of it.</summary>
    public static EntryContent Approval(long round = 0) =>
        new(LogEntryKind.Approval, round, new JsonObject { ["decision"] = "approve" });

    /// <summary>A site's decision on the plan, with the reasons for a refusal.</summary>
    public static EntryContent SiteDecision(bool accept, IEnumerable<string> reasons) =>
        new(LogEntryKind.SiteDecision, 0, new JsonObject
        {
            ["accept"] = accept,
            ["reasons"] = new JsonArray([.. reasons.Select(r => JsonValue.Create(r))]),
        });

    /// <summary>The aggregator opens <paramref name="round"/>.</summary>
    public static EntryContent RoundOpened(long round, string globalModelDigest, IEnumerable<string> invitedSites, DateTimeOffset deadline) =>
        new(LogEntryKind.RoundOpened, round, new JsonObject
        {
            ["deadline"] = LogEntry.FormatTime(deadline),
            ["globalModel"] = Digest(globalModelDigest),
            ["sites"] = Names(invitedSites),
        });

    /// <summary>The sites whose updates form the round's aggregate.</summary>
    public static EntryContent Participants(long round, IEnumerable<string> sites) =>
        new(LogEntryKind.Participants, round, new JsonObject { ["sites"] = Names(sites) });

    /// <summary>A site's digest of its protected upload.</summary>
    public static EntryContent Upload(long round, string uploadDigest, long bytes) =>
        new(LogEntryKind.Upload, round, new JsonObject { ["bytes"] = bytes, ["digest"] = Digest(uploadDigest) });

    /// <summary>A site dropped out at <paramref name="stage"/> (e.g. "share-keys", "masked-input").</summary>
    public static EntryContent Dropout(long round, string site, string stage) =>
        new(LogEntryKind.Dropout, round, new JsonObject { ["site"] = site, ["stage"] = stage });

    /// <summary>The protected aggregate's digest and its contributors.</summary>
    public static EntryContent Aggregate(long round, string aggregateDigest, IEnumerable<string> contributors) =>
        new(LogEntryKind.Aggregate, round, new JsonObject { ["contributors"] = Names(contributors), ["digest"] = Digest(aggregateDigest) });

    /// <summary>The new global model, chained to the one the round started from.</summary>
    public static EntryContent Model(long round, string previousDigest, string modelDigest) =>
        new(LogEntryKind.Model, round, new JsonObject { ["digest"] = Digest(modelDigest), ["previous"] = Digest(previousDigest) });

    /// <summary>Aggregate metrics of the round (sums over sites, then averaged by the aggregator).</summary>
    public static EntryContent Metrics(long round, long samples, IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var obj = new JsonObject();
        foreach (var (name, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            obj[name] = double.IsFinite(value) ? value : throw new ArgumentException($"metric '{name}' is not finite", nameof(values));
        }

        return new(LogEntryKind.Metrics, round, new JsonObject { ["samples"] = samples, ["values"] = obj });
    }

    /// <summary>
    /// The aggregator abandons <paramref name="round"/> before its model: no aggregate of it is
    /// ever revealed, and training continues from the last completed model in a new round.
    /// </summary>
    public static EntryContent RoundAborted(long round, string reason) =>
        new(LogEntryKind.RoundAborted, round, new JsonObject
        {
            ["reason"] = string.IsNullOrWhiteSpace(reason) ? throw new ArgumentException("an abort names its reason", nameof(reason)) : reason,
        });

    /// <summary>
    /// The differential-privacy budget training round <paramref name="round"/> spends (the plan's
    /// <c>privacy</c> section, <see cref="Plans.PlanPrivacy"/>), logged by the aggregator before
    /// the round's aggregate: the mechanism it ran (<see cref="Plans.PrivacyRound"/> for
    /// <paramref name="dimension"/> coordinates among the round's participants, whose power-of-two
    /// <paramref name="scale"/> it states) and the zCDP charged for its <paramref name="contributors"/>;
    /// <paramref name="spentRho"/> is the plan's total so far including this round and
    /// <paramref name="spentEpsilon"/> its (epsilon, <paramref name="delta"/>) conversion, never above
    /// the approved epsilon. An auditor recomputes every figure from the plan and the log.
    /// </summary>
    public static EntryContent PrivacySpend(long round, int contributors, int dimension, double scale, double roundRho, double spentRho, double spentEpsilon, double delta) =>
        new(LogEntryKind.PrivacySpend, round, new JsonObject
        {
            ["contributors"] = contributors,
            ["delta"] = delta,
            ["dimension"] = dimension,
            ["roundRho"] = roundRho,
            ["scale"] = scale,
            ["spentEpsilon"] = spentEpsilon,
            ["spentRho"] = spentRho,
        });

    /// <summary>A tree head: the root over the first <paramref name="size"/> entries.</summary>
    public static EntryContent TreeHead(long size, byte[] root) =>
        new(LogEntryKind.TreeHead, 0, new JsonObject { ["root"] = Convert.ToHexStringLower(root), ["size"] = size });

    /// <summary>A site's countersignature of a tree head.</summary>
    public static EntryContent Countersignature(long size, byte[] root) =>
        new(LogEntryKind.Countersignature, 0, new JsonObject { ["root"] = Convert.ToHexStringLower(root), ["size"] = size });

    private static string Digest(string digest) =>
        digest is { Length: 64 } && digest.All(char.IsAsciiHexDigitLower)
            ? digest
            : throw new ArgumentException($"a digest is 64 lower-case hex digits (SHA-256); got '{digest}'", nameof(digest));

    private static JsonArray Names(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var sorted = names.Order(StringComparer.Ordinal).ToArray();
        if (sorted.Distinct(StringComparer.Ordinal).Count() != sorted.Length)
        {
            throw new ArgumentException("a site is listed twice", nameof(names));
        }

        return new JsonArray([.. sorted.Select(n => JsonValue.Create(n))]);
    }
}
