using HospitalFed.Learning.Features;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Simulation;

/// <summary>
/// In-process simulation of the FLamby Fed-Heart-Disease benchmark with logistic regression:
/// pooled training, local-only training per centre, and federated training with every server
/// strategy, each site contributing only its update vector and the server seeing only the sum.
/// </summary>
public static class HeartDiseaseSimulation
{
    /// <summary>Runs every method for every seed.</summary>
    /// <param name="centres">The centres (see <see cref="FedHeartDisease.Load"/>).</param>
    /// <param name="settings">Hyperparameters; the defaults are the documented ones.</param>
    /// <param name="progress">Optional progress messages (method names).</param>
    public static SimulationReport Run(IReadOnlyList<CentreData> centres, SimulationSettings settings, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(centres);
        ArgumentNullException.ThrowIfNull(settings);
        var pipeline = new FeaturePipeline(centres[0].Train.Schema);

        // Standardisation from sums only, pooled as the services' statistics round does: each site
        // contributes the limb encoding of its exact counts, sums and sums of squares.
        var siteSums = centres.Select(c => pipeline.ComputeSums(c.Train)).ToArray();
        var siteStatistics = siteSums.Select(s => s.ToStatistics()).ToArray();
        var federated = FeatureSums.Pool(siteSums);
        var train = centres.Select(c => pipeline.Transform(c.Train, federated)).ToArray();
        var test = centres.Select(c => pipeline.Transform(c.Test, federated)).ToArray();
        var model = new LogisticRegression<float>(pipeline.FeatureCount);

        var results = new List<MethodResult>();
        progress?.Report("Pooled");
        var pooledTrain = Dataset.Concatenate(train);
        results.Add(Evaluate("Pooled", model, test, settings, seed => TrainCentralised(model, pooledTrain, settings.Centralised with { Seed = seed })));

        for (var k = 0; k < centres.Count; k++)
        {
            // A local-only model never sees other sites, so it uses its own statistics everywhere.
            var own = siteStatistics[k];
            var localTrain = pipeline.Transform(centres[k].Train, own);
            var localTests = centres.Select(c => pipeline.Transform(c.Test, own)).ToArray();
            progress?.Report($"Local ({centres[k].Name})");
            results.Add(Evaluate($"Local ({centres[k].Name})", model, localTests, settings, seed => TrainCentralised(model, localTrain, settings.Centralised with { Seed = seed })));
        }

        var p = model.Layout.Count;
        var strategies = new (string Name, Func<ServerStrategy> Create)[]
        {
            ("FedAvg", () => new FedAvg(p, settings.AveragingServerLearningRate)),
            ("FedProx", () => new FedProx(p, settings.ProximalMu, settings.AveragingServerLearningRate)),
            ("FedAdam", () => new FedAdam(p, settings.AdaptiveServerLearningRate)),
            ("FedYogi", () => new FedYogi(p, settings.AdaptiveServerLearningRate)),
            ("FedAdagrad", () => new FedAdagrad(p, settings.AdaptiveServerLearningRate)),
        };
        foreach (var (name, create) in strategies)
        {
            progress?.Report(name);
            results.Add(Evaluate(name, model, test, settings, seed => TrainFederated(model, train, create(), settings, seed)));
        }

        return new SimulationReport([.. centres.Select(c => c.Name)], [.. centres.Select(c => c.Test.Rows)], results);
    }

    private static float[] TrainCentralised(IModel<float> model, Dataset data, TrainingOptions options)
    {
        var parameters = new float[model.Layout.Count];
        model.Initialize(parameters, new Random(options.Seed ?? 0));
        new LocalTrainer(model, options).Train(parameters, data);
        return parameters;
    }

    private static float[] TrainFederated(IModel<float> model, Dataset[] sites, ServerStrategy strategy, SimulationSettings settings, int seed)
    {
        var global = new float[model.Layout.Count];
        model.Initialize(global, new Random(seed));
        var layout = new UpdateVectorLayout(global.Length, MetricCount: 0);
        var trainers = sites
            .Select((_, k) => new LocalTrainer(model, settings.Local with { Seed = (seed * 1000) + k, ProximalMu = strategy.ClientProximalMu }))
            .ToArray();
        var updates = sites.Select(_ => new float[layout.Length]).ToArray();
        var local = new float[global.Length];
        var sum = new float[layout.Length];
        for (var round = 0; round < settings.Rounds; round++)
        {
            for (var k = 0; k < sites.Length; k++)
            {
                global.CopyTo(local, 0);
                trainers[k].Train(local, sites[k], global);
                SiteUpdate.Write(layout, global, local, sites[k].Rows, [], updates[k]);
            }

            // The aggregator's view: the element-wise sum, as secure aggregation would reveal it.
            SiteUpdate.Sum(updates, sum);
            strategy.Apply(global, sum, layout);
        }

        return global;
    }

    private static MethodResult Evaluate(string method, IModel<float> model, Dataset[] tests, SimulationSettings settings, Func<int, float[]> train)
    {
        var pooledAccuracy = new List<double>();
        var pooledAuc = new List<double>();
        var centreAccuracy = new double[tests.Length];
        var workspace = model.CreateWorkspace(64);
        var labels = tests.SelectMany(t => t.Targets).ToArray();
        var probabilities = new float[labels.Length];
        foreach (var seed in settings.Seeds)
        {
            var parameters = train(seed);
            var offset = 0;
            for (var k = 0; k < tests.Length; k++)
            {
                var scores = probabilities.AsSpan(offset, tests[k].Rows);
                model.Predict(parameters, tests[k].Features, tests[k].Rows, scores, workspace);
                centreAccuracy[k] += BinaryMetrics.Accuracy(scores, tests[k].Targets) / settings.Seeds.Count;
                offset += tests[k].Rows;
            }

            pooledAccuracy.Add(BinaryMetrics.Accuracy(probabilities, labels));
            pooledAuc.Add(BinaryMetrics.AucRoc(probabilities, labels));
        }

        return new MethodResult(method, pooledAccuracy.Average(), pooledAuc.Average(), centreAccuracy, pooledAccuracy);
    }
}
