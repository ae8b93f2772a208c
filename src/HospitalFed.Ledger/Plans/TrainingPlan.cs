using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using HospitalFed.Learning.Federation;
using HospitalFed.Ledger.Canonical;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// A training plan: a canonical JSON document (DESIGN.md "A training plan", format in
/// docs/admin-guide.md "The plan file"), every member parsed into typed values that the services
/// enforce; an unknown member at any level is refused, so nothing signed is descriptive only. Its
/// id is the lower-case hex SHA-256 of the canonical bytes, so two plans differing in any field,
/// however small, have different ids.
/// </summary>
public sealed class TrainingPlan
{
    /// <summary>The fewest rounds a plan may run: round 1 pools feature statistics, training starts at round 2.</summary>
    public const long MinRounds = 2;

    /// <summary>The most rounds a plan may run.</summary>
    public const long MaxRounds = 100_000;

    private static readonly string[] Members = ["features", "hyperparameters", "minSites", "model", "perRoundApproval", "privacy", "protection", "rounds", "strategy"];
    private static readonly string[] Protections = ["pairwise", "ckks", "none"];

    private TrainingPlan(byte[] canonical, JsonObject document)
    {
        CanonicalBytes = canonical;
        Id = Convert.ToHexStringLower(SHA256.HashData(canonical));
        Document = document;
        if (document.ContainsKey("deadlines"))
        {
            throw new PlanException("plan field 'deadlines' is not supported: round deadlines are the aggregator config's joinTimeoutSeconds and phaseTimeoutSeconds; remove 'deadlines' from the plan");
        }

        try
        {
            PlanFields.RejectUnknown(document, "", Members);
            Features = ParseFeatures(document["features"]);
            Training = FederatedTraining.Parse(document);
            ModelKind = document["model"]!["kind"]!.GetValue<string>();
            Rounds = PlanFields.Integer(document, "", "rounds", MinRounds, MaxRounds);
            Protection = PlanFields.Choice(document, "", "protection", Protections) switch
            {
                "ckks" => Protection.Ckks,
                "none" => Protection.None,
                _ => Protection.Pairwise,
            };
            MinSites = (int)PlanFields.Integer(document, "", "minSites", 2, 100_000);
            PerRoundApproval = PlanFields.Boolean(document, "", "perRoundApproval");
            Privacy = PlanPrivacy.Parse(document, Rounds, MinSites, Protection);
        }
        catch (FormatException ex)
        {
            throw new PlanException(ex.Message, ex);
        }
    }

    /// <summary>The plan id: lower-case hex SHA-256 of <see cref="CanonicalBytes"/>.</summary>
    public string Id { get; }

    /// <summary>The canonical JSON bytes the id and every approval cover.</summary>
    public byte[] CanonicalBytes { get; }

    /// <summary>The whole plan document (a private copy: changing it changes nothing here).</summary>
    public JsonObject Document { get; }

    /// <summary>model.kind: "logistic" or "mlp".</summary>
    public string ModelKind { get; }

    /// <summary>The feature columns, in order; they must equal the consortium schema's feature columns (checked by the aggregator and every site).</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>The model, each site's local training and the server strategy.</summary>
    public FederatedTraining Training { get; }

    /// <summary>The number of rounds to run, from <see cref="MinRounds"/> to <see cref="MaxRounds"/>.</summary>
    public long Rounds { get; }

    /// <summary>How updates are protected.</summary>
    public Protection Protection { get; }

    /// <summary>The fewest sites whose updates may form an aggregate.</summary>
    public int MinSites { get; }

    /// <summary>Whether every round needs its own m-of-n approval.</summary>
    public bool PerRoundApproval { get; }

    /// <summary>The differential-privacy budget and mechanism (<see cref="PlanPrivacy"/>), or null when the plan asks for none.</summary>
    public PlanPrivacy? Privacy { get; }

    /// <summary>Parses and validates a plan from JSON text in any formatting.</summary>
    /// <exception cref="PlanException">The JSON is malformed, or a field is missing, unknown or invalid (the message names its JSON path).</exception>
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
    /// <exception cref="PlanException">A field is missing, unknown or invalid (the message names its JSON path).</exception>
    public static TrainingPlan FromNode(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is not JsonObject)
        {
            throw new PlanException("plan: the document must be a JSON object");
        }

        var canonical = CanonicalJson.Encode(node);
        return new TrainingPlan(canonical, (JsonObject)CanonicalJson.Parse(canonical));
    }

    /// <summary>Why <paramref name="schema"/>'s feature columns differ from this plan's, or null when they match.</summary>
    public string? FeatureMismatch(HospitalFed.Learning.Data.ExtractSchema schema) => FederatedTraining.FeatureMismatch(Features, schema);

    private static string[] ParseFeatures(JsonNode? node)
    {
        if (node is null)
        {
            throw new FormatException("plan field 'features' is missing");
        }

        if (node is not JsonArray array || array.Count == 0)
        {
            throw new FormatException($"plan field 'features' must be a non-empty array of column names, got {PlanFields.Shown(node)}");
        }

        var names = new string[array.Count];
        for (var i = 0; i < names.Length; i++)
        {
            if (array[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length == 0)
            {
                throw new FormatException($"plan field 'features[{i}]' must be a non-empty column name, got {PlanFields.Shown(array[i])}");
            }

            names[i] = v.GetValue<string>();
            if (Array.IndexOf(names, names[i], 0, i) >= 0)
            {
                throw new FormatException($"plan field 'features[{i}]' repeats column '{names[i]}'");
            }
        }

        return names;
    }
}
