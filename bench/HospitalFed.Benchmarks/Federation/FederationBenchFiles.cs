using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>
/// The end-to-end benchmark's <see cref="LoopbackConsortium"/>: an approved MLP plan of the given
/// protection over <c>sites</c> sites, and each site's synthetic extract generated here (a noisy
/// linear teacher on shifted Gaussian features, so the sites are non-IID and training has
/// something to learn).
/// </summary>
internal static class FederationBenchFiles
{
    public static LoopbackConsortium Create(string directory, FederationBenchSettings settings, string protection, int port)
    {
        var document = (JsonObject)ConsortiumSimulation.Plan(rounds: settings.Rounds, minSites: settings.MinSites, protection: protection).Document.DeepClone();
        document["model"] = new JsonObject { ["kind"] = "mlp", ["hiddenLayers"] = new JsonArray([.. settings.HiddenLayers.Select(w => JsonValue.Create(w))]) };
        document["features"] = new JsonArray([.. Enumerable.Range(0, settings.Features).Select(j => JsonValue.Create($"x{j}"))]); // the synthetic schema's columns
        var files = new LoopbackConsortium(directory, TrainingPlan.FromNode(document), [.. Enumerable.Range(1, settings.Sites).Select(i => $"site-{i:D2}")], port);
        files.Write(LoopbackConsortium.SchemaFile, Schema(settings.Features));
        var random = new Random(20261122); // synthetic data: identical in every mode
        var teacher = Enumerable.Range(0, settings.Features).Select(_ => Gaussian(random)).ToArray();
        foreach (var site in files.Sites)
        {
            var shift = Gaussian(random);
            files.Write($"{site}.train.csv", Extract(random, teacher, shift, settings.TrainRows));
            files.Write($"{site}.test.csv", Extract(random, teacher, shift, settings.TestRows));
        }

        return files;
    }

    private static string Schema(int features)
    {
        var columns = new JsonArray();
        for (var j = 0; j < features; j++)
        {
            columns.Add(new JsonObject { ["name"] = $"x{j}", ["type"] = "numeric", ["minimum"] = -1000, ["maximum"] = 1000 });
        }

        columns.Add(new JsonObject { ["name"] = "y", ["type"] = "numeric", ["minimum"] = 0, ["maximum"] = 1 });
        return new JsonObject
        {
            ["delimiter"] = ",",
            ["header"] = false,
            ["standardize"] = "all",
            ["columns"] = columns,
            ["target"] = new JsonObject { ["column"] = "y", ["kind"] = "binary", ["greaterThan"] = 0 },
        }.ToJsonString();
    }

    private static string Extract(Random random, double[] teacher, double shift, int rows)
    {
        var text = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            var logit = 0.0;
            foreach (var weight in teacher)
            {
                var x = (3 * Gaussian(random)) + shift;
                logit += weight * (x - shift) / 3;
                text.Append(x.ToString("F3", CultureInfo.InvariantCulture)).Append(',');
            }

            text.Append(logit + Gaussian(random) > 0 ? '1' : '0').Append('\n');
        }

        return text.ToString();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
