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
            results.Add(Evaluate(name, model, test, settings, seed =>
            {
                var strategy = spec.Create(model.Layout.Count);
                return TrainFederated(model, train, settings, seed, strategy.ClientProximalMu, StrategyRound(strategy));
            }));
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

    /// <summary>
    /// Federated training of <paramref name="settings"/>' model with a caller-supplied server step,
    /// scored as <see cref="Run"/> scores its rows: every site trains from the global model each round
    /// with <see cref="SiteOptions"/>, then <paramref name="server"/> (one instance per seed) turns the
    /// global model and the sites' local models into the next global model.
    /// </summary>
    /// <param name="method">The result's name.</param>
    /// <param name="centres">The sites (as for <see cref="Run"/>).</param>
    /// <param name="statistics">The statistics every site standardises and imputes with (pooled, or public ones from the schema).</param>
    /// <param name="settings">Model, local training, rounds and seeds (<see cref="SimulationSettings.Strategies"/> is not used).</param>
    /// <param name="server">Creates the server step of one run from its seed.</param>
    /// <exception cref="ArgumentException">As <see cref="Run"/>, or statistics of another feature count.</exception>
    public static MethodResult RunFederated(string method, IReadOnlyList<CentreData> centres, FeatureStatistics statistics, SimulationSettings settings, Func<int, SimulatedServerRound> server)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(centres);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(server);
        settings.Validate();
        Check(centres);
        var pipeline = new FeaturePipeline(centres[0].Train.Schema);
        var train = centres.Select(c => pipeline.Transform(c.Train, statistics)).ToArray();
        var test = centres.Select(c => pipeline.Transform(c.Test, statistics)).ToArray();
        var model = settings.Model.Create(pipeline.FeatureCount);
        return Evaluate(method, model, test, settings, seed => TrainFederated(model, train, settings, seed, 0, server(seed)));
    }

    /// <summary>
    /// The plaintext server step of <paramref name="strategy"/>: each site's sums-only update
    /// <c>[n_k (w_k - w), n_k]</c> (<see cref="SiteUpdate.Write"/>), their element-wise sum (what secure
    /// aggregation reveals), then <see cref="ServerStrategy.Apply"/>.
    /// </summary>
    public static SimulatedServerRound StrategyRound(ServerStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        UpdateVectorLayout? layout = null;
        float[][] updates = [];
        float[] sum = [];
        return (_, global, locals, sampleCounts) =>
        {
            if (layout is null || layout.ParameterCount != global.Length || updates.Length != locals.Count)
            {
                layout = new UpdateVectorLayout(global.Length, MetricCount: 0);
                updates = [.. locals.Select(_ => new float[layout.Length])];
                sum = new float[layout.Length];
            }

            for (var k = 0; k < locals.Count; k++)
            {
                SiteUpdate.Write(layout, global, locals[k], sampleCounts[k], [], updates[k]);
            }

            // The aggregator's view: the element-wise sum, as secure aggregation would reveal it.
            SiteUpdate.Sum(updates, sum);
            strategy.Apply(global, sum, layout);
        };
    }

    private static float[] TrainFederated(IModel<float> model, Dataset[] sites, SimulationSettings settings, int seed, float proximalMu, SimulatedServerRound server)
    {
        var global = new float[model.Layout.Count];
        model.Initialize(global, new Random(seed));
        var locals = sites.Select(_ => new float[global.Length]).ToArray();
        var sampleCounts = sites.Select(s => s.Rows).ToArray();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            for (var k = 0; k < sites.Length; k++)
            {
                global.CopyTo(locals[k], 0);
                var options = SiteOptions(settings, seed, round, k) with { ProximalMu = proximalMu };
                new LocalTrainer(model, options).Train(locals[k], sites[k], global);
            }

            server(round, global, locals, sampleCounts);
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

        return new MethodResult(method, pooledAccuracy.Average(), pooledAuc.Average(), centreAccuracy, centreAuc, pooledAccuracy) { SeedAucs = pooledAuc };
    }
}
