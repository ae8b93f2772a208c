using System.CommandLine;
using HospitalFed.Aggregator.Persistence;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Onnx;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed model export</c>: a final model the aggregator stored, as an ONNX file a hospital can score with standard tools.</summary>
internal static class ModelCommands
{
    public static Command Create()
    {
        var model = new Command("model", "Trained models: export for scoring outside HospitalFed.");
        model.Subcommands.Add(Export());
        return model;
    }

    private static Command Export()
    {
        var modelFile = new Option<string>("--model") { Description = "The stored model, <sha256>.model (the aggregator's models directory)", Required = true };
        var planFile = new Option<string>("--plan") { Description = "The training plan the model was trained under (JSON)", Required = true };
        var schemaFile = new Option<string>("--schema") { Description = "The consortium extract schema (JSON)", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the ONNX model (never overwritten)", Required = true };
        var command = new Command("export", "Write a stored model as ONNX: input 'features' = the schema's encoded features, unstandardised; output a probability (binary) or class probabilities.")
        {
            modelFile, planFile, schemaFile, output,
        };
        CliAction.Set(command, (parse, stdout, _) =>
        {
            var plan = TrainingPlan.Parse(CliFiles.ReadBytes(parse.GetValue(planFile)!, "plan"));
            var schemaPath = parse.GetValue(schemaFile)!;
            var schema = ReadSchema(schemaPath);
            if (plan.FeatureMismatch(schema) is { } mismatch)
            {
                throw new CliException($"{schemaPath}: does not fit plan {plan.Id[..16]}: {mismatch}");
            }

            var pipeline = new FeaturePipeline(schema);
            var network = plan.Training.Model.Create(pipeline.FeatureCount);
            var path = parse.GetValue(modelFile)!;
            var (parameters, statistics) = ReadModel(path, network.Layout.Count, pipeline.FeatureCount);
            var digest = Path.GetFileNameWithoutExtension(path);
            var bytes = OnnxExporter.Export(network, parameters, pipeline, FeatureStatistics.ReadFrom(statistics), new Dictionary<string, string>
            {
                ["hospitalfed.plan"] = plan.Id,
                ["hospitalfed.modelDigest"] = digest,
            });
            var target = parse.GetValue(output)!;
            CliFiles.WritePublic(target, bytes);
            stdout.WriteLine($"wrote {target}: {plan.ModelKind} model of plan {plan.Id[..16]}, model {digest[..16]}; input '{OnnxExporter.FeaturesInput}' [N, {pipeline.FeatureCount}] (the schema's encoded features, unstandardised), output '{OnnxExporter.ProbabilityOutput}' [N, 1]; ONNX IR version {OnnxExporter.IrVersion}, opset {OnnxExporter.OpsetVersion}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static ExtractSchema ReadSchema(string path)
    {
        var json = CliFiles.ReadText(path, "schema");
        try
        {
            return ExtractSchema.Parse(json);
        }
        catch (SchemaException ex)
        {
            throw new CliException($"{path}: {ex.Message}");
        }
    }

    /// <summary>Reads a model as <see cref="ModelStore"/> wrote it, checking its content still hashes to its name.</summary>
    private static (float[] Parameters, double[] Statistics) ReadModel(string path, int parameterCount, int features)
    {
        var name = Path.GetFileName(path);
        var digest = Path.GetFileNameWithoutExtension(path);
        if (!name.EndsWith(".model", StringComparison.Ordinal) || digest.Length != 64 || !digest.All(char.IsAsciiHexDigitLower))
        {
            throw new CliException($"--model: '{path}' is not named <sha256>.model, as the aggregator stores models");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"cannot read model '{path}': the file does not exist");
        }

        try
        {
            var (parameters, statistics) = new ModelStore(Path.GetDirectoryName(Path.GetFullPath(path))!).Read(digest, parameterCount);
            if (statistics.Length != FeatureStatistics.VectorLengthFor(features) && statistics.Length != 3 * features)
            {
                throw new CliException($"{path}: holds {statistics.Length} statistics values after {parameterCount} parameters; the plan's model and the schema's {features} encoded features need {FeatureStatistics.VectorLengthFor(features)} (or {3 * features} in a model stored before the centred form): is this the plan and schema it was trained with?");
            }

            return (parameters, statistics);
        }
        catch (InvalidDataException ex)
        {
            throw new CliException($"{path}: {ex.Message}");
        }
    }
}
