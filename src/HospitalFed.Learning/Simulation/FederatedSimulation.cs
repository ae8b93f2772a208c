using HospitalFed.Learning.Features;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Simulation;

/// <summary>
/// In-process simulation of federated training on any sites' train/test extracts with a binary
/// target: pooled training, local-only training per site, and federated training with each of
/// <see cref="SimulationSettings.Strategies"/>, each site contributing only its update vector and
/// the server seeing only the sum. No network, no disk.
/// </summary>
public static class FederatedSimulation
{
    /// <summary>Runs every method for every seed.</summary>
    /// <param name="centres">The sites, at least one, all with the same schema.</param>
    /// <param name="settings">Hyperparameters; the defaults are the documented ones.</param>
    /// <param name="progress">Optional progress messages (method names).</param>
    /// <exception cref="ArgumentException">No sites, sites with different schemas, a target that is not binary, a site without training rows, or invalid settings.</exception>
    public static SimulationReport Run(IReadOnlyList<CentreData> centres, SimulationSettings settings, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(centres);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Check(centres);
        var pipeline = new FeaturePipeline(centres[0].Train.Schema);

        // Standardisation from sums only: each site contributes counts, sums and sums of squares.
        var siteSums = centres.Select(c => pipeline.ComputeSums(c.Train)).ToArray();
        var siteStatistics = siteSums.Select(s => s.ToStatistics()).ToArray();
        var federated = FeatureSums.Pool(siteSums);
        var train = centres.Select(c => pipeline.Transform(c.Train, federated)).ToArray();
        var test = centres.Select(c => pipeline.Transform(c.Test, federated)).ToArray();
        var model = settings.Model.Create(pipeline.FeatureCount);

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
            var name = $"Local ({centres[k].Name})";
            progress?.Report(name);
            results.Add(Evaluate(name, model, localTests, settings, seed => TrainCentralised(model, localTrain, settings.Centralised with { Seed = seed })));
        }

        foreach (var spec in settings.Strategies)
        {
            var name = spec.Kind.ToString();
            progress?.Report(name);
            results.Add(Evaluate(name, model, test, settings, seed => TrainFederated(model, train, spec.Create(model.Layout.Count), settings, seed)));
        }

        return new SimulationReport([.. centres.Select(c => c.Name)], [.. centres.Select(c => c.Test.Rows)], results);
    }

    /// <summary>The options site <paramref name="site"/> trains with in round <paramref name="round"/> (1-based) of run <paramref name="seed"/>.</summary>
    public static TrainingOptions SiteOptions(SimulationSettings settings, int seed, int round, int site)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Local.AtProgress((double)round / settings.Rounds) with
        {
            Seed = Mix(seed, round, site),
            ValidationSeed = Mix(seed, 0, site),
        };
    }

    private static int Mix(int seed, int round, int site) => unchecked((seed * 1_000_003) + (round * 7_919) + (site * 104_729));

    private static void Check(IReadOnlyList<CentreData> centres)
    {
        if (centres.Count == 0)
        {
            throw new ArgumentException("A simulation needs at least one site.", nameof(centres));
        }

        var schema = centres[0].Train.Schema;
        if (schema.Target.Kind != Data.TargetKind.Binary)
        {
            throw new ArgumentException($"The simulation evaluates binary outcomes; the schema's target '{schema.Target.Column}' is {schema.Target.Kind.ToString().ToLowerInvariant()}.", nameof(centres));
        }

        foreach (var centre in centres)
        {
            if (!ReferenceEquals(centre.Train.Schema, schema) || !ReferenceEquals(centre.Test.Schema, schema))
            {
                throw new ArgumentException($"Site '{centre.Name}' was loaded with another schema; every site's extracts must use the same one.", nameof(centres));
            }

            if (centre.Train.Rows == 0 || centre.Test.Rows == 0)
            {
                throw new ArgumentException($"Site '{centre.Name}' has {centre.Train.Rows} training and {centre.Test.Rows} test rows; it needs at least one of each.", nameof(centres));
            }
        }
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
        var updates = sites.Select(_ => new float[layout.Length]).ToArray();
        var local = new float[global.Length];
        var sum = new float[layout.Length];
        for (var round = 1; round <= settings.Rounds; round++)
        {
            for (var k = 0; k < sites.Length; k++)
            {
                global.CopyTo(local, 0);
                var options = SiteOptions(settings, seed, round, k) with { ProximalMu = strategy.ClientProximalMu };
                new LocalTrainer(model, options).Train(local, sites[k], global);
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
        var centreAuc = new double[tests.Length];
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
                centreAuc[k] += BinaryMetrics.AucRoc(scores, tests[k].Targets) / settings.Seeds.Count;
                offset += tests[k].Rows;
            }

            pooledAccuracy.Add(BinaryMetrics.Accuracy(probabilities, labels));
            pooledAuc.Add(BinaryMetrics.AucRoc(probabilities, labels));
        }

        return new MethodResult(method, pooledAccuracy.Average(), pooledAuc.Average(), centreAccuracy, centreAuc, pooledAccuracy);
    }
}
