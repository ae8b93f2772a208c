using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Synthetic;

/// <summary>
/// What a federation is measured against: one logistic regression on every site's training rows
/// pooled, standardised with the exact pooled statistics and fitted to convergence with
/// <see cref="FullBatchLogisticSolver"/>, scored by AUC on every site's test rows pooled. It holds
/// all rows, so it belongs in benchmarks and simulations, never in a service.
/// </summary>
public sealed class PooledLogisticReference
{
    private readonly FeaturePipeline _pipeline;
    private readonly IReadOnlyList<ExtractTable> _testTables;

    private PooledLogisticReference(FeaturePipeline pipeline, FeatureStatistics statistics, LogisticFit fit, Dataset test, IReadOnlyList<ExtractTable> testTables)
    {
        _pipeline = pipeline;
        Statistics = statistics;
        Fit = fit;
        _testTables = testTables;
        TestAuc = BinaryMetrics.AucRoc(Predict(fit.Parameters, test), test.Targets);
    }

    /// <summary>The exact pooled feature statistics of the training rows (the sum of every site's).</summary>
    public FeatureStatistics Statistics { get; }

    /// <summary>The converged fit on the standardised pooled training rows.</summary>
    public LogisticFit Fit { get; }

    /// <summary>The fit's AUC on the pooled test rows.</summary>
    public double TestAuc { get; }

    /// <summary>Fits the reference.</summary>
    /// <param name="schema">The extracts' schema.</param>
    /// <param name="train">Every site's training extract, loaded with <paramref name="schema"/>.</param>
    /// <param name="test">Every site's test extract, loaded with <paramref name="schema"/>.</param>
    /// <param name="gradientTolerance">The solver's stopping tolerance; default 1e-9.</param>
    /// <exception cref="ArgumentException">No training or no test table, or a table loaded with another schema.</exception>
    public static PooledLogisticReference Create(ExtractSchema schema, IReadOnlyList<ExtractTable> train, IReadOnlyList<ExtractTable> test, double gradientTolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (train.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException("The pooled reference needs at least one training and one test extract.", nameof(train));
        }

        var pipeline = new FeaturePipeline(schema);
        var statistics = FeatureStatistics.Sum(train.Select(pipeline.ComputeStatistics));
        var pooledTrain = Dataset.Concatenate([.. train.Select(t => pipeline.Transform(t, statistics))]);
        var fit = FullBatchLogisticSolver.Fit(pooledTrain, gradientTolerance: gradientTolerance);
        var pooledTest = Dataset.Concatenate([.. test.Select(t => pipeline.Transform(t, statistics))]);
        return new PooledLogisticReference(pipeline, statistics, fit, pooledTest, test);
    }

    /// <summary>
    /// The AUC on the same pooled test rows of another logistic regression (a federation's final
    /// global model), standardised with the statistics that model was trained with.
    /// </summary>
    /// <param name="parameters">Weights then bias, in the pipeline's feature order.</param>
    /// <param name="statistics">The feature statistics the model standardises with (a federation's securely summed ones).</param>
    /// <exception cref="ArgumentException">The parameters or statistics do not fit the schema's features.</exception>
    public double TestAucOf(ReadOnlySpan<float> parameters, FeatureStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (parameters.Length != _pipeline.FeatureCount + 1)
        {
            throw new ArgumentException($"{parameters.Length} parameters; a logistic regression over {_pipeline.FeatureCount} features has {_pipeline.FeatureCount + 1}.", nameof(parameters));
        }

        var test = Dataset.Concatenate([.. _testTables.Select(t => _pipeline.Transform(t, statistics))]);
        var weights = new double[parameters.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = parameters[i];
        }

        return BinaryMetrics.AucRoc(Predict(weights, test), test.Targets);
    }

    private static float[] Predict(double[] parameters, Dataset data)
    {
        var model = new LogisticRegression<double>(data.FeatureCount);
        var features = Array.ConvertAll(data.Features, v => (double)v);
        var output = new double[data.Rows];
        model.Predict(parameters, features, data.Rows, output, model.CreateWorkspace(4096));
        // Scores ranked in double, then narrowed: only their order matters to the AUC, and the
        // narrowing can only create ties, which count one half.
        return Array.ConvertAll(output, p => (float)p);
    }
}
