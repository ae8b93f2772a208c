using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Onnx;
using HospitalFed.Learning.Onnx.Proto;
using HospitalFed.Learning.Optimization;
using HospitalFed.Learning.Simulation;
using Microsoft.ML.OnnxRuntime;

namespace HospitalFed.Learning.Tests.Onnx;

/// <summary>
/// Every model kind, trained by the project's own trainer on the bundled heart-disease data,
/// exported to ONNX and scored by ONNX Runtime on the test rows, must predict what the project's
/// own scoring predicts (1e-5 relative; for the Cox linear predictor, relative to max(|eta|, 1)).
/// </summary>
public sealed class OnnxExporterTests
{
    private const double Tolerance = 1e-5;

    [TestCase("logistic", TestName = "Export_LogisticRegression_OnnxRuntimeMatchesOwnScoring")]
    [TestCase("multinomial", TestName = "Export_MultinomialRegression_OnnxRuntimeMatchesOwnScoring")]
    [TestCase("mlp", TestName = "Export_BinaryMlp_OnnxRuntimeMatchesOwnScoring")]
    [TestCase("mlp-multiclass", TestName = "Export_MulticlassMlp_OnnxRuntimeMatchesOwnScoring")]
    [TestCase("cox", TestName = "Export_Cox_OnnxRuntimeMatchesOwnScoring")]
    public void Export_TrainedModel_OnnxRuntimeMatchesOwnScoring(string kind)
    {
        // Arrange: the published split, pooled statistics, a model trained by LocalTrainer.
        var multiclass = kind is "multinomial" or "mlp-multiclass";
        var centres = HeartDisease(multiclass ? MulticlassTarget : null);
        var (pipeline, statistics, train, test) = Prepare(centres);
        IModel<float> model = kind switch
        {
            "logistic" => new LogisticRegression<float>(pipeline.FeatureCount),
            "multinomial" => new MultinomialLogisticRegression<float>(pipeline.FeatureCount, 5),
            "mlp" => new MultilayerPerceptron<float>(pipeline.FeatureCount, [8, 4], 1),
            "mlp-multiclass" => new MultilayerPerceptron<float>(pipeline.FeatureCount, [8], 5),
            _ => new CoxProportionalHazards<float>(pipeline.FeatureCount),
        };
        var parameters = Train(model, kind == "cox" ? WithSurvival(train) : train);

        // Act
        var onnx = OnnxExporter.Export(model, parameters, pipeline, statistics);
        var expected = new float[test.Rows * model.OutputCount];
        var dataset = pipeline.Transform(test, statistics);
        model.Predict(parameters, dataset.Features, dataset.Rows, expected, model.CreateWorkspace(64));
        var output = kind == "cox" ? OnnxExporter.RiskScoreOutput : multiclass ? OnnxExporter.ProbabilitiesOutput : OnnxExporter.ProbabilityOutput;
        var actual = Score(onnx, Encode(pipeline, test), test.Rows, pipeline.FeatureCount, output);

        // Assert
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        AssertClose(actual, expected, floor: kind == "cox" ? 1 : 0);
        if (kind == "cox")
        {
            var hazard = Score(onnx, Encode(pipeline, test), test.Rows, pipeline.FeatureCount, OnnxExporter.HazardRatioOutput);
            AssertClose(hazard, [.. expected.Select(MathF.Exp)], floor: 0);
        }
    }

    [Test]
    public void Export_MissingValuesAsNaN_ImputedAsThePipelineDoes()
    {
        // Arrange: chol == 0 means missing, with an indicator, so Swiss rows reach the model as NaN.
        var centres = HeartDisease(s => s with
        {
            Columns = [.. s.Columns.Select(c => c.Name == "chol" ? c with { Sentinels = [0], Missing = MissingPolicy.Indicator } : c)],
        });
        var (pipeline, statistics, train, test) = Prepare(centres);
        var model = new LogisticRegression<float>(pipeline.FeatureCount);
        var parameters = Train(model, train);
        var encoded = Encode(pipeline, test);
        Assume.That(encoded.Any(float.IsNaN), "the test rows include a missing cholesterol");

        // Act
        var actual = Score(OnnxExporter.Export(model, parameters, pipeline, statistics), encoded, test.Rows, pipeline.FeatureCount, OnnxExporter.ProbabilityOutput);

        // Assert
        var dataset = pipeline.Transform(test, statistics);
        var expected = new float[test.Rows];
        model.Predict(parameters, dataset.Features, dataset.Rows, expected, model.CreateWorkspace(64));
        AssertClose(actual, expected, floor: 0);
    }

    [Test]
    public void Export_AnyModel_DeclaresIrVersion8Opset17AndFeatureNames()
    {
        // Arrange
        var (pipeline, statistics, _, _) = Prepare(HeartDisease(null));
        var model = new LogisticRegression<float>(pipeline.FeatureCount);

        // Act
        var bytes = OnnxExporter.Export(model, new float[model.Layout.Count], pipeline, statistics, new Dictionary<string, string> { ["hospitalfed.plan"] = "abc" });
        var proto = ModelProto.Parser.ParseFrom(bytes);
        using var session = new InferenceSession(bytes);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(proto.IrVersion, Is.EqualTo(8));
            Assert.That(proto.OpsetImport.Single().Version, Is.EqualTo(17));
            Assert.That(session.InputMetadata.Keys, Is.EqualTo(new[] { "features" }));
            Assert.That(session.InputMetadata["features"].Dimensions, Is.EqualTo(new[] { -1, pipeline.FeatureCount }));
            Assert.That(session.ModelMetadata.CustomMetadataMap[OnnxExporter.FeatureNamesKey], Does.Contain("\"cp=2\"").And.Contain("\"oldpeak\""));
            Assert.That(session.ModelMetadata.CustomMetadataMap["hospitalfed.plan"], Is.EqualTo("abc"));
        });
    }

    [Test]
    public void Export_StatisticsOfAnotherWidth_Throws()
    {
        var (pipeline, _, _, _) = Prepare(HeartDisease(null));
        var model = new LogisticRegression<float>(pipeline.FeatureCount);
        var wrong = new FeatureStatistics(new double[3], new double[3], new double[3]);

        Assert.That(() => OnnxExporter.Export(model, new float[model.Layout.Count], pipeline, wrong), Throws.ArgumentException.With.Message.Contains("statistics cover 3"));
    }

    private static ExtractSchema MulticlassTarget(ExtractSchema schema) =>
        schema with { Target = new TargetSchema { Column = "num", Kind = TargetKind.Multiclass, Classes = ["0", "1", "2", "3", "4"] } };

    private static IReadOnlyList<CentreData> HeartDisease(Func<ExtractSchema, ExtractSchema>? change)
    {
        var directory = SampleData.HeartDiseaseDirectory;
        var schema = ExtractSchema.Load(Path.Combine(directory, FedHeartDisease.SchemaFile));
        if (change is null)
        {
            return FedHeartDisease.Load(directory);
        }

        schema = change(schema);
        return [.. FedHeartDisease.Centres.Select(c =>
        {
            var table = ExtractLoader.LoadFile(Path.Combine(directory, $"processed.{c}.data"), schema);
            var rows = Enumerable.Range(0, table.Rows).ToArray();
            return new CentreData(c, table.Subset([.. rows.Where(r => r % 4 != 0)]), table.Subset([.. rows.Where(r => r % 4 == 0)]));
        })];
    }

    private static (FeaturePipeline Pipeline, FeatureStatistics Statistics, Dataset Train, ExtractTable Test) Prepare(IReadOnlyList<CentreData> centres)
    {
        var pipeline = new FeaturePipeline(centres[0].Train.Schema);
        var statistics = FeatureStatistics.Sum(centres.Select(c => pipeline.ComputeStatistics(c.Train)));
        var train = Dataset.Concatenate([.. centres.Select(c => pipeline.Transform(c.Train, statistics))]);
        return (pipeline, statistics, train, Concatenate([.. centres.Select(c => c.Test)]));
    }

    /// <summary>Every centre's test rows in one table (source lines are not needed here).</summary>
    private static ExtractTable Concatenate(ExtractTable[] tables)
    {
        var targets = tables.SelectMany(t => t.Targets).ToArray();
        return new(tables[0].Schema, [.. tables.SelectMany(t => t.Values)], targets, new int[targets.Length], tables[0].Report);
    }

    /// <summary>Survival data for the Cox model: an invented time per row, the heart-disease label as the event.</summary>
    private static Dataset WithSurvival(Dataset data) =>
        new(data.FeatureNames, data.Features, [.. Enumerable.Range(0, data.Rows).Select(r => 1f + (r * 7 % 23))], data.Targets);

    private static float[] Train(IModel<float> model, Dataset data)
    {
        var parameters = new float[model.Layout.Count];
        model.Initialize(parameters, new Random(7));
        var trainer = new LocalTrainer(model, new TrainingOptions { Optimizer = OptimizerKind.Adam, LearningRate = 0.01f, BatchSize = 32, Epochs = 30, Seed = 3 });
        trainer.Train(parameters, data);
        return parameters;
    }

    /// <summary>
    /// The ONNX input as a hospital's own tool builds it, from the documented contract: per encoded
    /// feature the raw number, 1/0 for a one-hot level (all 0 when the category is missing), 1/0 for
    /// a missing indicator, NaN for a missing number.
    /// </summary>
    private static float[] Encode(FeaturePipeline pipeline, ExtractTable table)
    {
        var width = table.FeatureColumns.Count;
        var encoded = new float[table.Rows * pipeline.FeatureCount];
        for (var r = 0; r < table.Rows; r++)
        {
            for (var f = 0; f < pipeline.FeatureCount; f++)
            {
                var feature = pipeline.Features[f];
                var raw = table.Values[(r * width) + feature.SourceColumn];
                encoded[(r * pipeline.FeatureCount) + f] = feature.IsIndicator ? (float.IsNaN(raw) ? 1 : 0)
                    : feature.Level >= 0 ? (raw == feature.Level ? 1 : 0)
                    : raw;
            }
        }

        return encoded;
    }

    private static float[] Score(byte[] onnx, float[] features, int rows, int width, string output)
    {
        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(features, [rows, width]);
        using var options = new RunOptions();
        using var results = session.Run(options, [OnnxExporter.FeaturesInput], [input], [output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static void AssertClose(float[] actual, float[] expected, double floor)
    {
        var worst = Enumerable.Range(0, expected.Length)
            .Select(i => Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), floor))
            .Max();
        var at = Enumerable.Range(0, expected.Length).MaxBy(i => Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), floor));
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance), $"largest relative difference over {expected.Length} outputs, at {at}: {actual[at]:R} vs {expected[at]:R}");
    }
}
