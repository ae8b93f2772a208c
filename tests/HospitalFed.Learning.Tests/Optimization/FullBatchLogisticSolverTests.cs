using HospitalFed.Learning.Features;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Optimization;
using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Learning.Tests.Optimization;

public sealed class FullBatchLogisticSolverTests
{
    private static readonly Lazy<(Dataset Train, Dataset Test)> Cohort = new(() =>
    {
        // A smaller instance of the synthetic benchmark: same features, skew and shift, 6,000 rows.
        var cohort = SyntheticCohort.Generate(new SyntheticCohortOptions { Rows = 6_000, Seed = 11 });
        var pipeline = new FeaturePipeline(cohort.Schema);
        var train = cohort.Sites.Select(s => s.LoadTrain()).ToList();
        var statistics = FeatureStatistics.Sum(train.Select(pipeline.ComputeStatistics));
        return (
            Dataset.Concatenate([.. train.Select(t => pipeline.Transform(t, statistics))]),
            Dataset.Concatenate([.. cohort.Sites.Select(s => pipeline.Transform(s.LoadTest(), statistics))]));
    });

    [TestCase(0.0)]
    [TestCase(1e-3)]
    public void Fit_SyntheticCohort_MatchesNewtonReference(double l2)
    {
        // Arrange
        var (train, test) = Cohort.Value;
        var (reference, referenceLoss) = NewtonLogisticReference.Fit(train.Features, train.Targets, train.FeatureCount, l2);

        // Act
        var fit = FullBatchLogisticSolver.Fit(train, l2);

        // Assert: the same optimum, by loss, by every coefficient and by the test AUC it gives.
        Assert.That(fit.Converged, Is.True, $"gradient {fit.GradientNorm:E2} after {fit.Iterations} iterations");
        Assert.That(Math.Abs(fit.Loss - referenceLoss), Is.LessThan(1e-10 * referenceLoss), "loss");
        Assert.That(NewtonLogisticReference.Loss(train.Features, train.Targets, train.FeatureCount, fit.Parameters, l2), Is.EqualTo(fit.Loss).Within(1e-10), "loss recomputed independently");
        for (var j = 0; j < reference.Length; j++)
        {
            Assert.That(fit.Parameters[j], Is.EqualTo(reference[j]).Within(1e-6), $"parameter {j}");
        }

        Assert.That(Auc(fit.Parameters, test), Is.EqualTo(Auc(reference, test)).Within(1e-5), "test AUC");
    }

    [Test]
    public void Fit_IterationCap_ReportsNotConverged()
    {
        // Arrange
        var (train, _) = Cohort.Value;

        // Act
        var fit = FullBatchLogisticSolver.Fit(train, maxIterations: 2);

        // Assert
        Assert.That(fit.Iterations, Is.EqualTo(2));
        Assert.That(fit.Converged, Is.False);
        Assert.That(fit.GradientNorm, Is.GreaterThan(1e-9));
    }

    [Test]
    public void Fit_NoRows_ThrowsNamingTheData()
    {
        // Arrange
        var empty = new Dataset(["x"], [], []);

        // Act and assert
        var error = Assert.Throws<ArgumentException>(() => FullBatchLogisticSolver.Fit(empty));
        Assert.That(error!.ParamName, Is.EqualTo("data"));
    }

    private static double Auc(double[] parameters, Dataset data)
    {
        // Scored here, independently of the project's model: sigmoid(w . x + b) per row.
        var d = data.FeatureCount;
        var scores = new float[data.Rows];
        for (var r = 0; r < data.Rows; r++)
        {
            var z = parameters[d];
            for (var j = 0; j < d; j++)
            {
                z += parameters[j] * data.Features[(r * d) + j];
            }

            scores[r] = (float)(1 / (1 + Math.Exp(-z)));
        }

        return BinaryMetrics.AucRoc(scores, data.Targets);
    }
}
