using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HospitalFed.Ledger.Canonical;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// A training plan: a canonical JSON document (DESIGN.md "A training plan") and the fields the
/// governance rules read from it. Its id is the lower-case hex SHA-256 of the canonical bytes,
/// so two plans differing in any field, however small, have different ids.
/// </summary>
public sealed class TrainingPlan
{
    private static readonly string[] RequiredMembers = ["model", "features", "hyperparameters", "rounds", "strategy", "protection", "minSites", "perRoundApproval", "deadlines"];

    private TrainingPlan(byte[] canonical, JsonObject document)
    {
        CanonicalBytes = canonical;
        Id = Convert.ToHexStringLower(SHA256.HashData(canonical));
        Document = document;
        var model = Object(document, "model");
        ModelKind = String(model, "kind", "model.kind");
        Rounds = Integer(document, "rounds", 1, 100_000);
        Strategy = String(document, "strategy", "strategy");
        Protection = String(document, "protection", "protection") switch
        {
            "pairwise" => Protection.Pairwise,
            "ckks" => Protection.Ckks,
            "none" => Protection.None,
            var other => throw new PlanException($"plan field 'protection' is '{other}'; expected 'pairwise', 'ckks' or 'none'"),
        };
        MinSites = (int)Integer(document, "minSites", 2, 100_000);
        PerRoundApproval = document["perRoundApproval"] is JsonValue v && v.TryGetValue<bool>(out var b)
            ? b
            : throw new PlanException("plan field 'perRoundApproval' must be true or false");
        if (document["privacy"] is JsonObject privacy)
        {
            Epsilon = Number(privacy, "epsilon", "privacy.epsilon");
            if (Epsilon <= 0)
            {
                throw new PlanException("plan field 'privacy.epsilon' must be positive");
            }
        }
        else if (document["privacy"] is not null)
        {
            throw new PlanException("plan field 'privacy' must be an object or absent");
        }
    }

    /// <summary>The plan id: lower-case hex SHA-256 of <see cref="CanonicalBytes"/>.</summary>
    public string Id { get; }

    /// <summary>The canonical JSON bytes the id and every approval cover.</summary>
    public byte[] CanonicalBytes { get; }

    /// <summary>The whole plan document (a private copy: changing it changes nothing here).</summary>
    public JsonObject Document { get; }

    /// <summary>model.kind, e.g. "logistic" or "mlp".</summary>
    public string ModelKind { get; }

    /// <summary>The number of rounds to run.</summary>
    public long Rounds { get; }

    /// <summary>The server strategy, e.g. "fedavg".</summary>
    public string Strategy { get; }

    /// <summary>How updates are protected.</summary>
    public Protection Protection { get; }

    /// <summary>The fewest sites whose updates may form an aggregate.</summary>
    public int MinSites { get; }

    /// <summary>Whether every round needs its own m-of-n approval.</summary>
    public bool PerRoundApproval { get; }

    /// <summary>The differential-privacy budget (privacy.epsilon) over the whole plan; null when the plan uses no DP.</summary>
    public double? Epsilon { get; }

    /// <summary>Parses and validates a plan from JSON text in any formatting.</summary>
    /// <exception cref="PlanException">The JSON is malformed or a required field is missing or invalid.</exception>
    public static TrainingPlan Parse(ReadOnlySpan<byte> json)
    {
        JsonNode node;
        try
        {
            node = CanonicalJson.Parse(json);
        }
        catch (FormatException ex)
        {
            throw new PlanException($"plan: {ex.Message}", ex);
        }

        return FromNode(node);
    }

    /// <summary>Validates a plan given as a JSON node (copied; the caller keeps its node).</summary>
    /// <exception cref="PlanException">A required field is missing or invalid.</exception>
    public static TrainingPlan FromNode(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is not JsonObject)
        {
            throw new PlanException("plan: the document must be a JSON object");
        }

        var canonical = CanonicalJson.Encode(node);
        var copy = (JsonObject)CanonicalJson.Parse(canonical);
        foreach (var member in RequiredMembers)
        {
            if (copy[member] is null)
            {
                throw new PlanException($"plan: required field '{member}' is missing");
            }
        }

        return new TrainingPlan(canonical, copy);
    }

    private static JsonObject Object(JsonObject parent, string name) =>
        parent[name] as JsonObject ?? throw new PlanException($"plan field '{name}' must be an object");

    private static string String(JsonObject parent, string name, string path) =>
        parent[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? s
            : throw new PlanException($"plan field '{path}' must be a non-empty string");

    private static long Integer(JsonObject parent, string name, long min, long max)
    {
        if (parent[name] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && v.TryGetValue<long>(out var n) && n >= min && n <= max)
        {
            return n;
        }

        if (parent[name] is JsonValue e && e.TryGetValue<System.Text.Json.JsonElement>(out var el) && el.TryGetInt64(out var m) && m >= min && m <= max)
        {
            return m;
        }

        throw new PlanException($"plan field '{name}' must be an integer from {min} to {max}");
    }

    private static double Number(JsonObject parent, string name, string path)
    {
        if (parent[name] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return v.TryGetValue<double>(out var d) ? d : v.GetValue<System.Text.Json.JsonElement>().GetDouble();
        }

        throw new PlanException($"plan field '{path}' must be a number");
    }
}
