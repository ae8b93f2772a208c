namespace HospitalFed.Learning.Synthetic.Internal;

/// <summary>
/// How one synthetic site differs from the others. Label skew is prior shift: the site's intercept
/// is solved so its expected prevalence is <see cref="Prevalence"/> while the coefficients of the
/// ground truth stay shared. Covariate shift moves the means and spreads of its numeric features
/// and changes its case mix (admission types, smoking) and its missing-value rates.
/// </summary>
internal sealed record SiteProfile(
    string Name,
    double Share,
    double Prevalence,
    double AgeMean,
    double AgeSpread,
    double BloodPressureShift,
    double CreatinineMedian,
    double CrpMedian,
    double TroponinMedian,
    double PriorAdmissionsRate,
    double[] AdmissionMix,
    double[] SmokingMix,
    double MissingRate)
{
    /// <summary>Four hospitals of unequal size, prevalence 10% to 40%, each with its own population.</summary>
    public static IReadOnlyList<SiteProfile> Consortium { get; } =
    [
        new("site-a", 0.38, 0.10, 61, 13, 0, 0.95, 6, 0.020, 0.8, [0.45, 0.35, 0.15, 0.05], [0.55, 0.30, 0.15], 0.04),
        new("site-b", 0.28, 0.18, 68, 11, 8, 1.10, 9, 0.028, 1.2, [0.25, 0.50, 0.15, 0.10], [0.45, 0.35, 0.20], 0.08),
        new("site-c", 0.20, 0.28, 55, 16, -6, 0.85, 4, 0.015, 0.6, [0.20, 0.40, 0.30, 0.10], [0.60, 0.20, 0.20], 0.12),
        new("site-d", 0.14, 0.40, 72, 10, 12, 1.30, 14, 0.040, 1.8, [0.10, 0.45, 0.15, 0.30], [0.40, 0.40, 0.20], 0.06),
    ];
}
