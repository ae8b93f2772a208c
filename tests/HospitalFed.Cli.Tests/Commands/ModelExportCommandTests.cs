using HospitalFed.Aggregator.Persistence;
using HospitalFed.Cli.Tests.Ledger;
using HospitalFed.Learning;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Simulation;
using Microsoft.ML.OnnxRuntime;

namespace HospitalFed.Cli.Tests.Commands;

/// <summary>`hfed model export`: a model stored as the aggregator stores it becomes an ONNX file ONNX Runtime scores identically.</summary>
public sealed class ModelExportCommandTests
{
    // legacy: the model is stored with the statistics form of earlier versions, [counts, sums,
    // sums of squares] without the centred form's tag, as models stored before it still are.
    [TestCase(false, TestName = "ModelExport_StoredModel_WritesFileOnnxRuntimeScoresLikeOwnScoring")]
    [TestCase(true, TestName = "ModelExport_ModelStoredWithUntaggedRawSumsOfSquares_StillScoresLikeOwnScoring")]
    public async Task ModelExport_StoredModel_WritesFileOnnxRuntimeScoresLikeOwnScoring(bool legacy)
    {
        // Arrange
        using var dir = new TempDir();
        var (digest, parameters, pipeline, statistics, test) = StoreTrainedModel(dir, legacy);

        // Act
        var result = await Hfed.RunAsync(Arguments(dir, digest));

        // Assert
        Assert.That(result.Exit, Is.Zero, result.Err);
        Assert.That(result.Out, Does.Contain("ONNX IR version 8, opset 17").And.Contain("'features' [N, 13]"));
        var model = new LogisticRegression<float>(pipeline.FeatureCount);
        var standardised = pipeline.Transform(test, statistics);
        var expected = new float[test.Rows];
        model.Predict(parameters, standardised.Features, test.Rows, expected, model.CreateWorkspace(64));
        using var session = new InferenceSession(dir["model.onnx"]);
        using var input = OrtValue.CreateTensorValueFromMemory(Unstandardised(pipeline, test).Features, [test.Rows, pipeline.FeatureCount]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["features"], [input], ["probability"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var worst = expected.Select((e, i) => Math.Abs(actual[i] - e) / e).Max();
        Assert.Multiple(() =>
        {
            Assert.That(worst, Is.LessThanOrEqualTo(1e-5));
            Assert.That(session.ModelMetadata.CustomMetadataMap["hospitalfed.modelDigest"], Is.EqualTo(digest));
        });
    }

    [Test]
    public async Task ModelExport_AlteredModelFile_FailsWithOneLine()
    {
        using var dir = new TempDir();
        var (digest, _, _, _, _) = StoreTrainedModel(dir);
        var path = Path.Combine(dir["models"], digest + ".model");
        var bytes = await File.ReadAllBytesAsync(path).WaitAsync(TimeSpan.FromSeconds(30));
        bytes[5] ^= 1;
        await File.WriteAllBytesAsync(path, bytes).WaitAsync(TimeSpan.FromSeconds(30));

        var result = await Hfed.RunAsync(Arguments(dir, digest));

        Hfed.AssertOneLineFailure(result, "does not hash to its name: the file was altered");
        Assert.That(File.Exists(dir["model.onnx"]), Is.False);
    }

    [Test]
    public async Task ModelExport_SchemaOfOtherFeatures_FailsNamingTheSchema()
    {
        using var dir = new TempDir();
        var (digest, _, _, _, _) = StoreTrainedModel(dir);
        var other = Path.Combine(SampleData.HeartDiseaseDirectory, "..", "extract-example", "admissions.schema.json");
        var arguments = Arguments(dir, digest);
        arguments[Array.IndexOf(arguments, "--schema") + 1] = other;

        var result = await Hfed.RunAsync(arguments);

        Hfed.AssertOneLineFailure(result, $"{other}: does not fit plan");
    }

    [Test]
    public async Task ModelExport_FileNotNamedByDigest_FailsWithOneLine()
    {
        using var dir = new TempDir();
        var (digest, _, _, _, _) = StoreTrainedModel(dir);
        var renamed = dir["final.model"];
        File.Copy(Path.Combine(dir["models"], digest + ".model"), renamed);
        var arguments = Arguments(dir, digest);
        arguments[Array.IndexOf(arguments, "--model") + 1] = renamed;

        var result = await Hfed.RunAsync(arguments);

        Hfed.AssertOneLineFailure(result, "is not named <sha256>.model");
    }

    [Test]
    public async Task ModelExport_OutputExists_RefusesToOverwrite()
    {
        using var dir = new TempDir();
        var (digest, _, _, _, _) = StoreTrainedModel(dir);
        await File.WriteAllTextAsync(dir["model.onnx"], "keep me").WaitAsync(TimeSpan.FromSeconds(30));

        var result = await Hfed.RunAsync(Arguments(dir, digest));

        Hfed.AssertOneLineFailure(result, "already exists; refusing to overwrite it");
        Assert.That(await File.ReadAllTextAsync(dir["model.onnx"]).WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo("keep me"));
    }

    private static string[] Arguments(TempDir dir, string digest) =>
    [
        "model", "export",
        "--model", Path.Combine(dir["models"], digest + ".model"),
        "--plan", dir["plan.json"],
        "--schema", Path.Combine(SampleData.HeartDiseaseDirectory, FedHeartDisease.SchemaFile),
        "--out", dir["model.onnx"],
    ];

    /// <summary>Trains logistic regression with the project's trainer and stores it (and the plan) as the aggregator would.</summary>
    private static (string Digest, float[] Parameters, FeaturePipeline Pipeline, FeatureStatistics Statistics, Learning.Data.ExtractTable Test) StoreTrainedModel(TempDir dir, bool legacy = false)
    {
        var centres = FedHeartDisease.Load(SampleData.HeartDiseaseDirectory);
        var pipeline = new FeaturePipeline(centres[0].Train.Schema);
        var statistics = FeatureStatistics.Sum(centres.Select(c => pipeline.ComputeStatistics(c.Train)));
        var train = Dataset.Concatenate([.. centres.Select(c => pipeline.Transform(c.Train, statistics))]);
        var model = new LogisticRegression<float>(pipeline.FeatureCount);
        var parameters = new float[model.Layout.Count];
        new LocalTrainer(model, new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.01f, Epochs = 20, Seed = 1 }).Train(parameters, train);
        var vector = legacy ? LegacyVector(statistics) : new double[statistics.VectorLength];
        if (!legacy)
        {
            statistics.WriteTo(vector);
        }

        var digest = new ModelStore(dir["models"]).Write(parameters, vector);
        File.WriteAllBytes(dir["plan.json"], ConsortiumSimulation.Plan().CanonicalBytes);
        return (digest, parameters, pipeline, statistics, centres[0].Test);
    }

    /// <summary>[counts, sums, sums of squares]: the statistics vector of models stored before the centred form.</summary>
    private static double[] LegacyVector(FeatureStatistics statistics) =>
    [
        .. statistics.Counts,
        .. statistics.Sums,
        .. statistics.CentredSumsOfSquares.Select((c, f) => c + (statistics.Sums[f] * statistics.Sums[f] / statistics.Counts[f])),
    ];

    /// <summary>The encoded features before standardisation: statistics of mean 0 and deviation 1 make Transform encode only.</summary>
    private static Dataset Unstandardised(FeaturePipeline pipeline, Learning.Data.ExtractTable table)
    {
        var ones = Enumerable.Repeat(1.0, pipeline.FeatureCount).ToArray();
        return pipeline.Transform(table, new FeatureStatistics(ones, new double[pipeline.FeatureCount], ones));
    }
}
