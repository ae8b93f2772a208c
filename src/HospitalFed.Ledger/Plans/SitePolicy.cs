using System.Globalization;
using System.Text.Json.Nodes;
using HospitalFed.Ledger.Canonical;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// A site's local policy (DESIGN.md "A training plan"): which plans the hospital lets run on its
/// records. JSON form: {"allowedModelKinds":["logistic"],"minSites":3,"requiredProtection":"ckks",
/// "maxRounds":50,"allowUnprotected":false,"epsilonCap":3,"maxDelta":1e-5}; every member is
/// optional and an absent member does not restrict, except that an unprotected plan (protection
/// "none") is refused unless "allowUnprotected" is true: raw updates leave the hospital only when
/// it says so explicitly. A site with an "epsilonCap" refuses every plan without differential
/// privacy and every plan whose approved epsilon is above the cap.
/// </summary>
/// <param name="AllowedModelKinds">Model kinds allowed; null allows any.</param>
/// <param name="MinSites">The fewest sites the plan must require; null for no floor.</param>
/// <param name="RequiredProtection">The protection required; null accepts either.</param>
/// <param name="MaxRounds">The most rounds accepted; null for no cap.</param>
/// <param name="AllowUnprotected">Whether plans with protection "none" (raw updates) are accepted; default false.</param>
/// <param name="EpsilonCap">The largest plan epsilon accepted; when set, plans without a privacy section are refused. Null (the default) for no cap.</param>
/// <param name="MaxDelta">The largest plan delta accepted; when set, plans without a privacy section are refused. Null (the default) for no cap.</param>
public sealed record SitePolicy(IReadOnlyList<string>? AllowedModelKinds, int? MinSites, Protection? RequiredProtection, long? MaxRounds, bool AllowUnprotected = false, double? EpsilonCap = null, double? MaxDelta = null)
{
    private static readonly string[] Members = ["allowedModelKinds", "minSites", "requiredProtection", "maxRounds", "allowUnprotected", "epsilonCap", "maxDelta"];

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

        Privacy(plan, reasons);
        return reasons;
    }

    private void Privacy(TrainingPlan plan, List<string> reasons)
    {
        if (EpsilonCap is null && MaxDelta is null)
        {
            return;
        }

        var caps = string.Join(" and ", new[] { EpsilonCap is { } e ? $"epsilon at most {F(e)}" : null, MaxDelta is { } d ? $"delta at most {E(d)}" : null }.OfType<string>());
        if (plan.Privacy is not { } privacy)
        {
            reasons.Add($"the plan asks for no differential privacy; this site requires it with {caps}");
            return;
        }

        if (EpsilonCap is { } cap && privacy.Epsilon > cap)
        {
            reasons.Add($"the plan's privacy budget is epsilon {F(privacy.Epsilon)}; this site's epsilonCap is {F(cap)}");
        }

        if (MaxDelta is { } maxDelta && privacy.Delta > maxDelta)
        {
            reasons.Add($"the plan's privacy delta is {E(privacy.Delta)}; this site's maxDelta is {E(maxDelta)}");
        }
    }

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string E(double value) => value.ToString("0.##e+0", CultureInfo.InvariantCulture);

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

        var unknown = obj.Select(m => m.Key).FirstOrDefault(k => !Members.Contains(k, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new PlanException($"site policy: unknown member '{unknown}' (known: {string.Join(", ", Members)})");
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
            return new SitePolicy(kinds, minSites, protection, maxRounds, allowUnprotected, Positive(obj, "epsilonCap"), Positive(obj, "maxDelta"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new PlanException("site policy: a member has the wrong type (allowedModelKinds: strings, minSites/maxRounds: integers, requiredProtection: string, allowUnprotected: boolean, epsilonCap/maxDelta: numbers)", ex);
        }
    }

    private static double? Positive(JsonObject obj, string member)
    {
        if (obj[member] is not JsonValue value)
        {
            return obj.ContainsKey(member) ? throw new PlanException($"site policy: '{member}' must be a positive number") : null;
        }

        var number = value.GetValue<double>();
        return number > 0 && double.IsFinite(number) ? number : throw new PlanException($"site policy: '{member}' must be a positive number, not {F(number)}");
    }
}
