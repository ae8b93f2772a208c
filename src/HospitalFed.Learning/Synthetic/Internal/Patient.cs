namespace HospitalFed.Learning.Synthetic.Internal;

/// <summary>
/// One synthetic patient: the true values (the ground truth uses them even where the extract
/// shows a missing value) and which of them the extract hides.
/// </summary>
internal sealed record Patient(
    double Age,
    bool Male,
    double SystolicBp,
    double Creatinine,
    double Crp,
    double Troponin,
    double Hba1c,
    int PriorAdmissions,
    int AdmissionType,
    int Smoking,
    bool CreatinineMissing,
    bool TroponinMissing,
    bool SmokingMissing)
{
    /// <summary>Admission type levels, in one-hot order (the first is the reference level).</summary>
    public static IReadOnlyList<string> AdmissionTypes { get; } = ["elective", "emergency", "urgent", "transfer"];

    /// <summary>Smoking levels, in one-hot order (the first is the reference level).</summary>
    public static IReadOnlyList<string> SmokingLevels { get; } = ["never", "former", "current"];

    /// <summary>
    /// The ground-truth logit without the site's intercept: linear in most features, with mild
    /// nonlinearity a logistic regression on the raw features cannot represent (a quadratic age
    /// term, an age x blood-pressure interaction, logarithms of the skewed labs).
    /// </summary>
    public double Logit()
    {
        var age = (Age - 65) / 15;
        var bp = (SystolicBp - 130) / 20;
        return (0.55 * age) + (0.15 * age * age) + (Male ? 0.25 : 0) + (0.20 * bp) + (0.15 * age * bp)
            + (0.9 * Math.Log(Creatinine)) + (0.30 * Math.Log(1 + Crp)) + (8.0 * Troponin)
            + (0.25 * (Hba1c - 6)) + (0.30 * PriorAdmissions)
            + AdmissionEffects[AdmissionType] + SmokingEffects[Smoking];
    }

    private static ReadOnlySpan<double> AdmissionEffects => [0, 0.5, 0.3, 0.7];

    private static ReadOnlySpan<double> SmokingEffects => [0, 0.15, 0.40];
}
