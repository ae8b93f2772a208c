using System.CommandLine;
using HospitalFed.Learning.Simulation;
using Spectre.Console;

namespace HospitalFed.Cli.Commands;

/// <summary>
/// <c>hfed simulate heart-disease</c>: the in-process FLamby Fed-Heart-Disease benchmark
/// (no network), pooled, local-only and federated logistic regression on the published split.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>FLamby's published accuracy on the pooled test rows (mean of 5 seeds; samples/heart-disease/SOURCE.md).</summary>
    private static readonly Dictionary<string, double> Published = new(StringComparer.Ordinal)
    {
        ["Pooled"] = 0.795,
        ["Local (cleveland)"] = 0.784,
        ["FedAvg"] = 0.748,
        ["FedProx"] = 0.748,
        ["FedAdam"] = 0.779,
        ["FedYogi"] = 0.779,
        ["FedAdagrad"] = 0.779,
    };

    /// <summary>Builds the command group; output goes to <paramref name="console"/>, failures to <paramref name="error"/>.</summary>
    public static Command Create(IAnsiConsole? console = null, TextWriter? error = null)
    {
        var data = new Option<DirectoryInfo?>("--data")
        {
            Description = "Directory holding the heart-disease sample (default: samples/heart-disease above the current or program directory).",
        };
        var seeds = new Option<int>("--seeds")
        {
            Description = "Number of seeds (0, 1, ...) to average over.",
            DefaultValueFactory = _ => 5,
        };
        var heart = new Command("heart-disease", "FLamby Fed-Heart-Disease: pooled, local-only, FedAvg, FedProx, FedAdam, FedYogi, FedAdagrad on the published split.");
        heart.Options.Add(data);
        heart.Options.Add(seeds);
        heart.SetAction(result => Run(result.GetValue(data), result.GetValue(seeds), console ?? AnsiConsole.Console, error ?? Console.Error));

        var simulate = new Command("simulate", "In-process simulations of federated training on sample data (no network).");
        simulate.Subcommands.Add(heart);
        return simulate;
    }

    private static int Run(DirectoryInfo? data, int seedCount, IAnsiConsole console, TextWriter error)
    {
        try
        {
            if (seedCount is < 1 or > 100)
            {
                throw new ArgumentException($"--seeds must be between 1 and 100, got {seedCount}.");
            }

            var directory = data?.FullName ?? FindSampleDirectory();
            var centres = FedHeartDisease.Load(directory);
            var settings = new SimulationSettings { Seeds = [.. Enumerable.Range(0, seedCount)] };
            var report = HeartDiseaseSimulation.Run(centres, settings);
            Render(console, report, settings, directory);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException
            or HospitalFed.Learning.Data.SchemaException or HospitalFed.Learning.Data.ExtractFormatException)
        {
            error.WriteLine($"hfed simulate heart-disease: {e.Message}");
            return 1;
        }
    }

    private static void Render(IAnsiConsole console, SimulationReport report, SimulationSettings settings, string directory)
    {
        var table = new Table().Border(TableBorder.Simple)
            .Title($"Fed-Heart-Disease, logistic regression, accuracy at 0.5 (mean of {settings.Seeds.Count} seed(s))")
            .Caption($"Acc and AUC: the {report.TestRows.Sum()} pooled test rows; FLamby: published accuracy; per-centre columns: accuracy on that centre's {string.Join("/", report.TestRows)} test rows.");
        table.AddColumn("Method");
        table.AddColumn(new TableColumn("Acc").RightAligned());
        table.AddColumn(new TableColumn("FLamby").RightAligned());
        table.AddColumn(new TableColumn("AUC").RightAligned());
        for (var k = 0; k < report.Centres.Count; k++)
        {
            var name = report.Centres[k];
            table.AddColumn(new TableColumn(name[..Math.Min(4, name.Length)]).RightAligned());
        }

        table.AddColumn(new TableColumn("Mean").RightAligned());
        foreach (var column in table.Columns)
        {
            column.Padding(0, 0, 1, 0).NoWrap();
        }

        foreach (var result in report.Results)
        {
            var published = Published.TryGetValue(result.Method, out var value) ? value.ToString("F3") : "";
            string[] cells =
            [
                Markup.Escape(result.Method),
                result.PooledAccuracy.ToString("F3"),
                published,
                result.PooledAuc.ToString("F3"),
                .. result.CentreAccuracy.Select(a => a.ToString("F3")),
                result.MeanCentreAccuracy.ToString("F3"),
            ];
            table.AddRow(cells);
        }

        console.Write(table);
        console.WriteLine($"Data: {directory}");
        var local = settings.Local;
        console.WriteLine(
            $"Federated: {settings.Rounds} rounds x {local.LocalSteps} local steps, SGD lr {local.LearningRate}, batch {local.BatchSize}, " +
            $"L2 {local.L2}; FedProx mu {settings.ProximalMu}; adaptive server lr {settings.AdaptiveServerLearningRate}. " +
            $"Centralised: {settings.Centralised.Epochs} epochs, SGD lr {settings.Centralised.LearningRate}, batch {settings.Centralised.BatchSize}.");
    }

    private static string FindSampleDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "heart-disease");
                if (File.Exists(Path.Combine(candidate, FedHeartDisease.SchemaFile)))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("samples/heart-disease not found above the current or program directory; pass --data.");
    }
}
