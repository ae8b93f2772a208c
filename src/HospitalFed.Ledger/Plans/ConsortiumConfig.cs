using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Canonical;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// The consortium's governance settings, signed by the consortium CA so that an auditor who
/// trusts only the root can check them: the admin set, how many of them must approve (m of n),
/// and the aggregator's name. Canonical JSON: {"admins":[...],"aggregator":"...","approvalThreshold":m,"name":"..."}.
/// </summary>
public sealed class ConsortiumConfig
{
    /// <summary>The purpose label of the CA's signature over the configuration.</summary>
    public const string Purpose = "hfed/consortium/config";

    private ConsortiumConfig(string name, IReadOnlyList<string> admins, int threshold, string aggregator, byte[] canonical, string signer, byte[] signature)
    {
        Name = name;
        Admins = admins;
        ApprovalThreshold = threshold;
        Aggregator = aggregator;
        CanonicalBytes = canonical;
        Signer = signer;
        Signature = signature;
    }

    /// <summary>The consortium's name.</summary>
    public string Name { get; }

    /// <summary>The names (certificate common names) of the n admins whose approvals count.</summary>
    public IReadOnlyList<string> Admins { get; }

    /// <summary>m: how many distinct admins must approve.</summary>
    public int ApprovalThreshold { get; }

    /// <summary>The aggregator's name: the only party that may write aggregator entries.</summary>
    public string Aggregator { get; }

    /// <summary>The canonical bytes of the configuration (what the CA signed).</summary>
    public byte[] CanonicalBytes { get; }

    /// <summary>The CA's common name.</summary>
    public string Signer { get; }

    /// <summary>The CA's signature (<see cref="SigningIdentity"/> format) over <see cref="CanonicalBytes"/>.</summary>
    public byte[] Signature { get; }

    /// <summary>Creates and signs a configuration with the CA's identity.</summary>
    /// <exception cref="PlanException">The settings are inconsistent (e.g. m &gt; n, duplicate admins).</exception>
    public static ConsortiumConfig Create(string name, IEnumerable<string> admins, int approvalThreshold, string aggregator, SigningIdentity ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var document = new JsonObject
        {
            ["admins"] = new JsonArray([.. admins.Select(a => JsonValue.Create(a))]),
            ["aggregator"] = aggregator,
            ["approvalThreshold"] = approvalThreshold,
            ["name"] = name,
        };
        var canonical = CanonicalJson.Encode(document);
        var signature = ca.Sign(Purpose, Binding(ca.Name), canonical);
        return FromParts(document, ca.Name, signature);
    }

    /// <summary>Reads the signed JSON form {"config":{...},"signature":"base64","signer":"CA name"} and verifies it against <paramref name="root"/>.</summary>
    /// <exception cref="PlanException">Malformed, not signed by the root, or inconsistent.</exception>
    public static ConsortiumConfig FromSignedJson(JsonNode? node, X509Certificate2 root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (node is not JsonObject obj || obj["config"] is not JsonObject config
            || obj["signature"] is not JsonValue sig || !sig.TryGetValue<string>(out var signatureText)
            || obj["signer"] is not JsonValue signerValue || !signerValue.TryGetValue<string>(out var signer) || obj.Count != 3)
        {
            throw new PlanException("consortium config: expected {\"config\":{...},\"signature\":\"...\",\"signer\":\"...\"}");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureText);
        }
        catch (FormatException ex)
        {
            throw new PlanException("consortium config: the signature is not base64", ex);
        }

        var parsed = FromParts(config, signer, signature);
        var rootName = root.GetNameInfo(X509NameType.SimpleName, false);
        if (!string.Equals(signer, rootName, StringComparison.Ordinal)
            || !ConsortiumTrust.VerifyWithKey(root, Purpose, Binding(rootName), parsed.CanonicalBytes, signature))
        {
            throw new PlanException($"consortium config: not signed by the consortium root '{rootName}'");
        }

        return parsed;
    }

    /// <summary>The signed JSON form, see <see cref="FromSignedJson"/>.</summary>
    public JsonObject ToSignedJson() => new()
    {
        ["config"] = CanonicalJson.Parse(CanonicalBytes),
        ["signature"] = Convert.ToBase64String(Signature),
        ["signer"] = Signer,
    };

    private static MessageBinding Binding(string caName) => new(string.Empty, 0, caName, MessageBinding.Broadcast);

    private static ConsortiumConfig FromParts(JsonObject config, string signer, byte[] signature)
    {
        string Text(string field) => config[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? s
            : throw new PlanException($"consortium config: '{field}' must be a non-empty string");

        if (config.Count != 4)
        {
            throw new PlanException("consortium config: expected exactly admins, aggregator, approvalThreshold and name");
        }

        var name = Text("name");
        var aggregator = Text("aggregator");
        if (config["admins"] is not JsonArray adminArray)
        {
            throw new PlanException("consortium config: 'admins' must be an array of names");
        }

        var admins = adminArray.Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? s
            : throw new PlanException("consortium config: every admin must be a non-empty name")).ToArray();
        if (admins.Distinct(StringComparer.Ordinal).Count() != admins.Length)
        {
            throw new PlanException("consortium config: an admin is listed twice");
        }

        if (config["approvalThreshold"] is not JsonValue t || !t.TryGetValue<int>(out var threshold) || threshold < 1 || threshold > admins.Length)
        {
            throw new PlanException($"consortium config: 'approvalThreshold' must be an integer from 1 to the number of admins ({admins.Length})");
        }

        return new ConsortiumConfig(name, admins, threshold, aggregator, CanonicalJson.Encode(config), signer, signature);
    }
}
