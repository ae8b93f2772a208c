using System.Text.Json.Nodes;
using HospitalFed.Ledger.Canonical;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// A site's local policy (DESIGN.md "A training plan"): which plans the hospital lets run on its
/// records. JSON form: {"allowedModelKinds":["logistic"],"minSites":3,"requiredProtection":"ckks",
/// "maxRounds":50,"allowUnprotected":false}; every member is optional and an absent
/// member does not restrict, except that an unprotected plan (protection "none") is refused unless
/// "allowUnprotected" is true: raw updates leave the hospital only when it says so explicitly.
/// </summary>
/// <param name="AllowedModelKinds">Model kinds allowed; null allows any.</param>
/// <param name="MinSites">The fewest sites the plan must require; null for no floor.</param>
/// <param name="RequiredProtection">The protection required; null accepts either.</param>
/// <param name="MaxRounds">The most rounds accepted; null for no cap.</param>
/// <param name="AllowUnprotected">Whether plans with protection "none" (raw updates) are accepted; default false.</param>
public sealed record SitePolicy(IReadOnlyList<string>? AllowedModelKinds, int? MinSites, Protection? RequiredProtection, long? MaxRounds, bool AllowUnprotected = false)
{
    /// <summary>Reasons <paramref name="plan"/> breaks this policy; empty means accept.</summary>
    public IReadOnlyList<string> Evaluate(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var reasons = new List<string>();
        if (AllowedModelKinds is not null && !AllowedModelKinds.Contains(plan.ModelKind, StringComparer.Ordinal))
        {
            reasons.Add($"model kind '{plan.ModelKind}' is not allowed (allowed: {string.Join(", ", AllowedModelKinds)})");
        }

        if (MinSites is { } min && plan.MinSites < min)
        {
            reasons.Add($"the plan needs only {plan.MinSites} sites; this site requires at least {min}");
        }

        if (RequiredProtection is { } protection && plan.Protection != protection)
        {
            reasons.Add($"the plan uses {plan.Protection} protection; this site requires {protection}");
        }

        if (plan.Protection == Protection.None && !AllowUnprotected)
        {
            reasons.Add("the plan is unprotected (protection 'none': the aggregator would see this site's raw update); this site's policy does not set allowUnprotected");
        }

        if (MaxRounds is { } max && plan.Rounds > max)
        {
            reasons.Add($"the plan runs {plan.Rounds} rounds; this site allows at most {max}");
        }

        return reasons;
    }

    /// <summary>Parses the JSON form.</summary>
    /// <exception cref="PlanException">Malformed JSON, an unknown member or a value of the wrong type.</exception>
    public static SitePolicy Parse(ReadOnlySpan<byte> json)
    {
        JsonObject obj;
        try
        {
            obj = CanonicalJson.Parse(json) as JsonObject ?? throw new PlanException("site policy: expected a JSON object");
        }
        catch (FormatException ex)
        {
            throw new PlanException($"site policy: {ex.Message}", ex);
        }

        if (obj.ContainsKey("epsilonCap"))
        {
            // A cap on a budget nothing spends would read as a guarantee this version does not give.
            throw new PlanException("site policy: 'epsilonCap' is not supported: differential privacy is not implemented in this version; remove 'epsilonCap' from the policy");
        }

        var known = new[] { "allowedModelKinds", "minSites", "requiredProtection", "maxRounds", "allowUnprotected" };
        var unknown = obj.Select(m => m.Key).FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new PlanException($"site policy: unknown member '{unknown}' (known: {string.Join(", ", known)})");
        }

        try
        {
            var kinds = obj["allowedModelKinds"] is JsonArray a ? a.Select(k => k is JsonValue kv ? kv.GetValue<string>() : throw new PlanException("site policy: allowedModelKinds must hold strings")).ToArray() : null;
            int? minSites = obj["minSites"] is JsonValue m ? m.GetValue<int>() : null;
            Protection? protection = obj["requiredProtection"] is JsonValue p
                ? p.GetValue<string>() switch
                {
                    "pairwise" => Protection.Pairwise,
                    "ckks" => Protection.Ckks,
                    var other => throw new PlanException($"site policy: requiredProtection '{other}' is neither 'pairwise' nor 'ckks'"),
                }
                : null;
            long? maxRounds = obj["maxRounds"] is JsonValue r ? r.GetValue<long>() : null;
            var allowUnprotected = obj["allowUnprotected"] is JsonValue u && u.GetValue<bool>();
            return new SitePolicy(kinds, minSites, protection, maxRounds, allowUnprotected);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new PlanException("site policy: a member has the wrong type (allowedModelKinds: strings, minSites/maxRounds: integers, requiredProtection: string, allowUnprotected: boolean)", ex);
        }
    }
}
