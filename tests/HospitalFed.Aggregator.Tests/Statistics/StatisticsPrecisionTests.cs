using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Simulation;

namespace HospitalFed.Aggregator.Tests.Statistics;

/// <summary>
/// Issue 15, deliverable 2: the standardisation every site applies (per-feature mean and standard
/// deviation) comes out of the statistics round through the services' own path (each site's
/// <c>LocalContribution</c> vector, quantised and masked or CKKS-encrypted by its agent, summed by
/// the orchestrator's protection, decoded by the job) and matches the pooled double-precision
/// reference to 1e-4 relative on every feature, on the bundled heart-disease data and on a wide
/// synthetic extract whose scales span 1e-4 to 1e6.
/// </summary>
[TestFixture]
public sealed class StatisticsPrecisionTests
{
    private const double Tolerance = 1e-4;

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var protection in new[] { "pairwise", "ckks" })
        {
            yield return new TestCaseData("heart-disease", protection).SetName($"StatisticsRound_HeartDisease{Title(protection)}_MatchesPooledReferenceOnEveryFeature");
            yield return new TestCaseData("synthetic-wide", protection).SetName($"StatisticsRound_SyntheticWide{Title(protection)}_MatchesPooledReferenceOnEveryFeature");
        }

        static string Title(string protection) => protection == "ckks" ? "Ckks" : "Pairwise";
    }

    [TestCaseSource(nameof(Cases))]
    public void StatisticsRound_Dataset_MatchesPooledReferenceOnEveryFeature(string dataset, string protection)
    {
        // Arrange
        var data = dataset == "heart-disease" ? HeartDisease() : SyntheticWideExtract.Create();
        var reference = PooledFeatureReference.Compute(data.Schema, data.Centres.Select(c => c.Train));
        using var federation = new InProcessFederation(rounds: 2, protection: protection, sitesDecideOnline: true, data: data);
        federation.Orchestrator.Start();

        // Act: round 1 sums the statistics, round 2 trains with them.
        federation.ConnectAll();

        // Assert
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        Assert.That(orchestrator.History[0].Contributors, Has.Count.EqualTo(4));
        Assert.That(new FeaturePipeline(data.Schema).FeatureNames, Is.EqualTo(reference.Names), "the reference encodes the same features");
        var federated = FeatureStatistics.ReadFrom([.. federation.Job.FeatureStatistics]);
        var (failures, worstMean, worstDeviation) = Compare(federated, reference);
        TestContext.Out.WriteLine($"{dataset} ({protection}): {reference.Names.Length} features, {reference.Counts.Max()} rows; worst relative error: mean {worstMean:E2}, standard deviation {worstDeviation:E2}");
        Assert.That(failures, Is.Empty);
    }

    private static (List<string> Failures, double WorstMean, double WorstDeviation) Compare(FeatureStatistics federated, PooledFeatureReference reference)
    {
        var failures = new List<string>();
        double worstMean = 0, worstDeviation = 0;
        for (var f = 0; f < reference.Names.Length; f++)
        {
            // A feature without spread is left unscaled (deviation 1), by the pipeline's documented convention.
            var expectedDeviation = reference.StandardDeviations[f] > 0 ? reference.StandardDeviations[f] : 1;
            var meanError = Relative(federated.Mean(f), reference.Means[f]);
            var deviationError = Relative(federated.StandardDeviation(f), expectedDeviation);
            worstMean = Math.Max(worstMean, meanError);
            worstDeviation = Math.Max(worstDeviation, deviationError);
            if (federated.Counts[f] != reference.Counts[f] || !(meanError <= Tolerance) || !(deviationError <= Tolerance))
            {
                failures.Add($"{reference.Names[f]}: count {federated.Counts[f]} (reference {reference.Counts[f]}), mean {federated.Mean(f):R} (reference {reference.Means[f]:R}), deviation {federated.StandardDeviation(f):R} (reference {expectedDeviation:R})");
            }
        }

        return (failures, worstMean, worstDeviation);
    }

    private static double Relative(double actual, double expected) =>
        actual == expected ? 0 : Math.Abs(actual - expected) / Math.Abs(expected);

    private static (ExtractSchema Schema, IReadOnlyList<CentreData> Centres) HeartDisease()
    {
        var directory = SampleData.HeartDiseaseDirectory;
        return (ExtractSchema.Load(Path.Combine(directory, FedHeartDisease.SchemaFile)), FedHeartDisease.Load(directory));
    }
}
