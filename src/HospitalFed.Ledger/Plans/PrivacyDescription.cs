using System.Globalization;
using HospitalFed.Learning.Privacy;

namespace HospitalFed.Ledger.Plans;

/// <summary>
/// How a plan's privacy section reads to the people who approve and audit it: the same figures in
/// <c>hfed plan show</c>, <c>hfed plan propose</c> and <c>approve</c>, and the audit report.
/// </summary>
public static class PrivacyDescription
{
    /// <summary>The unit of privacy and neighbouring relation, in one line.</summary>
    public const string UnitOfPrivacy =
        "one site's whole contribution to a round (neighbouring datasets differ in one site's records), so one patient record a fortiori";

    /// <summary>Labelled lines: budget, clip norm, noise multiplier, minimum contributors, training rounds, nominal epsilon per round, unit of privacy.</summary>
    public static IReadOnlyList<(string Label, string Value)> Fields(PlanPrivacy privacy)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        var perRound = ZcdpConversion.Epsilon(privacy.NominalRoundRho, privacy.Delta);
        return
        [
            ("budget", I($"epsilon {privacy.Epsilon:G6}, delta {privacy.Delta:0.##e+0} for the whole plan")),
            ("clip norm", I($"{privacy.ClipNorm:G6} (L2 norm of each site's unweighted model delta)")),
            ("noise multiplier", I($"{privacy.NoiseMultiplier:0.####} ({(privacy.IsCalibrated ? "calibrated to the budget over the training rounds" : "set by the plan")})")),
            ("min contributors", I($"{privacy.MinContributors} (each site adds 1/{privacy.MinContributors} of the noise; a round with fewer contributors is not released)")),
            ("training rounds", I($"{privacy.TrainingRounds} (round 1 pools public statistics from the schema's declared ranges and spends nothing)")),
            ("epsilon per round", I($"{perRound:0.####} nominal at delta {privacy.Delta:0.##e+0} (zCDP rho {privacy.NominalRoundRho:G4}; rounds compose in rho, not by adding epsilons)")),
            ("unit of privacy", UnitOfPrivacy),
        ];
    }

    /// <summary>The mechanism in one line: "clip norm c, noise multiplier z (calibrated), at least m contributors".</summary>
    public static string Mechanism(PlanPrivacy privacy)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        return I($"clip norm {privacy.ClipNorm:G6}, noise multiplier {privacy.NoiseMultiplier:0.####}{(privacy.IsCalibrated ? " (calibrated)" : "")}, at least {privacy.MinContributors} contributors per round");
    }

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
