using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Benchmarks.Synthetic;

/// <summary>The synthetic benchmark's shape: the cohort to generate and the plan's required members (every hyperparameter is left to its default).</summary>
/// <param name="Cohort">The cohort's size and seed (4 sites; a quarter of each site's rows held out for testing).</param>
/// <param name="Rounds">The plan's rounds: round 1 pools the feature statistics, rounds 2.. train.</param>
/// <param name="Protection">The plan's protection: <c>pairwise</c> or <c>ckks</c>.</param>
internal sealed record SyntheticBenchSettings(SyntheticCohortOptions Cohort, int Rounds, string Protection)
{
    /// <summary>The largest AUC gap, federated below pooled, the benchmark accepts (issue 15, "Done when").</summary>
    public const double Bar = 0.005;

    /// <summary>The plan's minimum sites: 3 of the 4, the threshold rule's own t = floor(2n/3) + 1.</summary>
    public const int MinSites = 3;

    /// <summary>The longest the plan may run before the benchmark gives up on it.</summary>
    public TimeSpan Timeout => TimeSpan.FromMinutes(30);
}
