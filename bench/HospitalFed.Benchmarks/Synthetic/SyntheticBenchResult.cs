using HospitalFed.Learning.Features;
using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Benchmarks.Synthetic;

/// <summary>The synthetic benchmark's figures: the federated model scored on the same pooled test rows as the pooled reference.</summary>
internal sealed class SyntheticBenchResult
{
    public SyntheticBenchResult(SyntheticBenchSettings settings, SyntheticCohort cohort, PooledLogisticReference reference, TimeSpan referenceTime, SyntheticBenchOutcome outcome)
    {
        Settings = settings;
        Cohort = cohort;
        Reference = reference;
        ReferenceTime = referenceTime;
        Outcome = outcome;
        FederatedAuc = reference.TestAucOf(outcome.Parameters, outcome.Statistics);
        StatisticsDeviation = LargestRelativeDifference(outcome.Statistics, reference.Statistics);
    }

    public SyntheticBenchSettings Settings { get; }

    public SyntheticCohort Cohort { get; }

    public PooledLogisticReference Reference { get; }

    /// <summary>How long the pooled reference took to load, standardise and fit.</summary>
    public TimeSpan ReferenceTime { get; }

    public SyntheticBenchOutcome Outcome { get; }

    /// <summary>The final global model's AUC on every site's test rows pooled, scored here with the statistics it was stored with.</summary>
    public double FederatedAuc { get; }

    /// <summary>Pooled AUC minus federated AUC (positive: the federation is behind).</summary>
    public double Gap => Reference.TestAuc - FederatedAuc;

    /// <summary>Whether the federated AUC is within <see cref="SyntheticBenchSettings.Bar"/> of the pooled one, either way.</summary>
    public bool Passed => Math.Abs(Gap) <= SyntheticBenchSettings.Bar;

    /// <summary>
    /// The largest relative difference, over features, between the means and standard deviations
    /// the services pooled securely and the exact pooled ones (0 when the secure sum is exact).
    /// </summary>
    public double StatisticsDeviation { get; }

    private static double LargestRelativeDifference(FeatureStatistics federated, FeatureStatistics pooled)
    {
        var largest = 0.0;
        for (var i = 0; i < pooled.FeatureCount; i++)
        {
            largest = Math.Max(largest, Relative(federated.Mean(i), pooled.Mean(i)));
            largest = Math.Max(largest, Relative(federated.StandardDeviation(i), pooled.StandardDeviation(i)));
        }

        return largest;
    }

    private static double Relative(double value, double exact) =>
        value == exact ? 0 : Math.Abs(value - exact) / Math.Max(Math.Abs(exact), double.Epsilon);
}
