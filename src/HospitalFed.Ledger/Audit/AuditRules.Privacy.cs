using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HospitalFed.Learning.Privacy;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Audit;

/// <summary>
/// The differential-privacy rules. Under a plan with a <c>privacy</c> section every training round
/// (every round after the statistics round) that releases an aggregate logs exactly one privacy
/// spend before it, and the auditor recomputes each of its figures from the plan alone:
/// the mechanism (<see cref="PlanPrivacy.Round"/> for the stated dimension and the sites invited),
/// the round's zCDP for its contributors (Kairouz, Liu and Steinke 2021, Theorem 1), the running
/// total and its (epsilon, delta) conversion (Canonne, Kamath and Steinke 2020), which must stay
/// within the approved epsilon. Spends of rounds later aborted still count: their noised sum may
/// have been decoded. A plan without privacy logs no spend, and a plan with privacy logs no pooled
/// metrics (they are not noised).
/// </summary>
internal sealed partial class AuditRules
{
    private const string Budget = "privacy budget";
    private const double RelativeTolerance = 1e-9;
    private static readonly string[] SpendMembers = ["contributors", "delta", "dimension", "roundRho", "scale", "spentEpsilon", "spentRho"];
    private double _spentRho;
    private int? _privacyDimension;

    private void PrivacySpend(LogEntry entry, RoundSummary round, TrainingPlan plan)
    {
        var r = round.Round;
        var privacy = plan.Privacy ?? throw new AuditCheckException(Budget, $"round {r} logs a differential-privacy spend, but the plan asks for no differential privacy");
        Expect(!round.PoolsStatistics, Budget, $"round {r} pools feature statistics, which a plan with differential privacy derives from the schema's declared ranges: it adds no noise and logs no spend");
        Expect(round.Aggregate is null, Budget, $"round {r}'s spend was logged after its aggregate: the budget is charged before the noised sum is released");
        Expect(round.Privacy is null, Budget, $"round {r} logs two privacy spends");
        var body = entry.Body;
        Expect(body.Count == SpendMembers.Length && SpendMembers.All(body.ContainsKey), Budget, $"round {r}: the body must be {{{string.Join(", ", SpendMembers.Select(m => $"\"{m}\""))}}}");
        var contributors = Count(body, "contributors", r);
        var dimension = Count(body, "dimension", r);
        var (scale, roundRho, spentRho, spentEpsilon, delta) = (Number(body, "scale", r), Number(body, "roundRho", r), Number(body, "spentRho", r), Number(body, "spentEpsilon", r), Number(body, "delta", r));

        Expect(delta == privacy.Delta, Budget, $"round {r} states delta {F(delta)}, but the plan approved delta {F(privacy.Delta)}");
        Expect(_privacyDimension is null || _privacyDimension == dimension, Budget, $"round {r} states dimension {dimension}, but earlier rounds state {_privacyDimension}: the model's size does not change");
        Expect(round.Participants.Count == 0 || contributors == round.Participants.Count, Budget, $"round {r}'s spend charges {contributors} contributors, but the round has {round.Participants.Count} participants");
        Expect(contributors <= round.Invited.Count, Budget, $"round {r}'s spend charges {contributors} contributors, but only {round.Invited.Count} sites were invited");
        Expect(contributors >= privacy.MinContributors, Budget, $"round {r} releases a sum of {contributors} contributors, fewer than the plan's minContributors {privacy.MinContributors}: it would carry less noise than approved");

        PrivacyRound mechanism;
        try
        {
            mechanism = privacy.Round(dimension, round.Invited.Count);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
        {
            throw new AuditCheckException(Budget, $"round {r}: no mechanism for dimension {dimension} and {round.Invited.Count} invited sites ({ex.Message})");
        }

        Expect(scale == mechanism.Scale, Budget, $"round {r} states scale {F(scale)}, but the plan's mechanism for dimension {dimension} and {round.Invited.Count} invited sites has scale {F(mechanism.Scale)}");
        var expectedRoundRho = mechanism.RoundRho(contributors);
        Expect(Close(roundRho, expectedRoundRho), Budget, $"round {r} states roundRho {F(roundRho)}, but {contributors} contributors cost {F(expectedRoundRho)}");
        var expectedSpentRho = _spentRho + expectedRoundRho;
        Expect(Close(spentRho, expectedSpentRho), Budget, $"round {r} states spentRho {F(spentRho)}, but the rounds so far sum to {F(expectedSpentRho)}");
        var expectedEpsilon = ZcdpConversion.Epsilon(expectedSpentRho, privacy.Delta);
        Expect(Close(spentEpsilon, expectedEpsilon), Budget, $"round {r} states spentEpsilon {F(spentEpsilon)}, but spentRho {F(expectedSpentRho)} at delta {F(privacy.Delta)} converts to {F(expectedEpsilon)}");
        Expect(expectedEpsilon <= privacy.Epsilon, Budget, $"round {r} brings the spent epsilon to {F(expectedEpsilon)} (rho {F(expectedSpentRho)}, delta {F(privacy.Delta)}), above the approved epsilon {F(privacy.Epsilon)}: the plan had to stop before this round");

        _spentRho = expectedSpentRho;
        _privacyDimension = dimension;
        round.Privacy = new PrivacySpendSummary(r, contributors, dimension, scale, expectedRoundRho, expectedSpentRho, expectedEpsilon);
        _summary.SpentRho = expectedSpentRho;
        _summary.SpentEpsilon = expectedEpsilon;
        _summary.PrivacyRounds++;
    }

    private static void SpendBeforeAggregate(RoundSummary round, TrainingPlan plan)
    {
        if (plan.Privacy is null || round.PoolsStatistics)
        {
            return;
        }

        Expect(round.Privacy is not null, Budget, $"round {round.Round} released its aggregate without a privacy spend before it");
        Expect(round.Privacy!.Contributors == round.Participants.Count, Budget, $"round {round.Round}'s spend charged {round.Privacy.Contributors} contributors, but its aggregate has {round.Participants.Count}");
    }

    private static void NoMetricsUnderPrivacy(RoundSummary round, TrainingPlan plan) =>
        Expect(plan.Privacy is null, Budget, $"round {round.Round} logs pooled metrics, which a plan with differential privacy does not release (they carry no noise)");

    private static bool Close(double stated, double expected) =>
        Math.Abs(stated - expected) <= RelativeTolerance * Math.Max(Math.Abs(stated), Math.Abs(expected));

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static int Count(JsonObject body, string field, long round) =>
        body[field] is JsonValue v && v.TryGetValue<int>(out var n) && n > 0
            ? n
            : throw new AuditCheckException(Budget, $"round {round}: '{field}' must be a positive integer");

    private static double Number(JsonObject body, string field, long round) =>
        body[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.IsFinite(v.GetValue<double>())
            ? v.GetValue<double>()
            : throw new AuditCheckException(Budget, $"round {round}: '{field}' must be a finite number");
}
