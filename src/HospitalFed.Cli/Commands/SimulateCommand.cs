using System.CommandLine;
using HospitalFed.Cli.Commands.Simulate;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Plans;
using Spectre.Console;

namespace HospitalFed.Cli.Commands;

/// <summary>
/// <c>hfed simulate</c>: in-process simulations (no network) of pooled, local-only and federated
/// training with every server strategy. <c>hfed simulate --schema S --site NAME=train.csv,test.csv ...</c>
/// runs on the user's own extracts; without <c>--schema</c>, and as <c>hfed simulate heart-disease</c>,
/// on the bundled FLamby Fed-Heart-Disease sample with its published split.
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

    /// <summary>Builds the command; output goes to <paramref name="console"/>, failures to <paramref name="error"/>.</summary>
    public static Command Create(IAnsiConsole? console = null, TextWriter? error = null)
    {
        var schema = new Option<FileInfo?>("--schema") { Description = "Extract schema (JSON) of every --site file; without it the bundled heart-disease sample is simulated." };
        var sites = new Option<string[]>("--site")
        {
            Description = "A site as NAME=TRAIN.csv,TEST.csv (repeat for each site; needs --schema).",
            AllowMultipleArgumentsPerToken = false,
        };
        var plan = PlanOption();
        var seeds = SeedsOption();
        var data = DataOption();
        var simulate = new Command("simulate", "In-process simulation of pooled, local-only and federated training (no network): on your own extracts with --schema and --site, else on the bundled heart-disease sample.")
        {
            schema, sites, plan, seeds, data,
        };
        simulate.SetAction(result => Run(
            "hfed simulate",
            () => result.GetValue(schema) is { } s
                ? OwnData(s, result.GetValue(sites) ?? [], result.GetValue(data))
                : HeartDisease(result.GetValue(data), result.GetValue(sites)),
            result.GetValue(plan),
            result.GetValue(seeds),
            console ?? AnsiConsole.Console,
            error ?? Console.Error));

        var heartPlan = PlanOption();
        var heartSeeds = SeedsOption();
        var heartData = DataOption();
        var heart = new Command("heart-disease", "FLamby Fed-Heart-Disease: pooled, local-only, FedAvg, FedProx, FedAdam, FedYogi, FedAdagrad on the published split.")
        {
            heartData, heartSeeds, heartPlan,
        };
        heart.SetAction(result => Run(
            "hfed simulate heart-disease",
            () => HeartDisease(result.GetValue(heartData), null),
            result.GetValue(heartPlan),
            result.GetValue(heartSeeds),
            console ?? AnsiConsole.Console,
            error ?? Console.Error));
        simulate.Subcommands.Add(heart);
        simulate.Subcommands.Add(PrivacySimulateCommand.Create(console, error));
        return simulate;
    }

    private static Option<FileInfo?> PlanOption() => new("--plan")
    {
        Description = "A training plan (as for 'hfed plan propose'): its model, rounds, hyperparameters (but not its seeds policy: runs use seeds 0..N-1) and its strategy's settings replace the defaults.",
    };

    private static Option<int> SeedsOption() => new("--seeds")
    {
        Description = "Number of seeds (0, 1, ...) to average over.",
        DefaultValueFactory = _ => 5,
    };

    private static Option<DirectoryInfo?> DataOption() => new("--data")
    {
        Description = "Directory holding the heart-disease sample (default: samples/heart-disease above the current or program directory); not with --schema.",
    };

    private static int Run(string command, Func<Workload> load, FileInfo? planFile, int seedCount, IAnsiConsole console, TextWriter error)
    {
        try
        {
            if (seedCount is < 1 or > 100)
            {
                throw new CliException($"--seeds must be between 1 and 100, got {seedCount}");
            }

            var workload = load();
            var settings = new SimulationSettings { Seeds = [.. Enumerable.Range(0, seedCount)] };
            if (planFile is not null)
            {
                settings = WithPlan(settings, planFile.FullName, workload.Centres[0].Train.Schema);
            }

            var report = FederatedSimulation.Run(workload.Centres, settings);
            SimulationTable.Render(console, workload.Title, report, settings, workload.Published);
            console.WriteLine($"Data: {workload.Source}");
            return 0;
        }
        catch (Exception e) when (e is CliException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException
            or SchemaException or ExtractFormatException or PlanException or FormatException)
        {
            error.WriteLine($"{command}: {e.Message}");
            return 1;
        }
    }

    private static SimulationSettings WithPlan(SimulationSettings settings, string path, ExtractSchema schema)
    {
        var plan = TrainingPlan.Parse(CliFiles.ReadBytes(path, "plan"));
        if (plan.FeatureMismatch(schema) is { } mismatch)
        {
            throw new CliException($"--plan '{path}': {mismatch}");
        }

        // Plan round 1 pools the feature statistics; rounds 2..R train, so R - 1 training rounds.
        var training = plan.Training;
        return settings with
        {
            Model = training.Model,
            Local = training.Local,
            Rounds = (int)(plan.Rounds - 1),
            Strategies = [.. settings.Strategies.Select(s => s.Kind == training.Strategy.Kind ? training.Strategy : s)],
        };
    }

    private static Workload HeartDisease(DirectoryInfo? data, string[]? sites)
    {
        if (sites is { Length: > 0 })
        {
            throw new CliException("--site needs --schema (the schema the site files follow)");
        }

        var directory = data?.FullName ?? FindSampleDirectory();
        return new Workload("Fed-Heart-Disease, logistic regression", FedHeartDisease.Load(directory), directory, Published);
    }

    private static Workload OwnData(FileInfo schemaFile, string[] siteValues, DirectoryInfo? data)
    {
        if (data is not null)
        {
            throw new CliException("--data is for the heart-disease sample; with --schema give the files with --site");
        }

        if (siteValues.Length == 0)
        {
            throw new CliException("--schema needs at least one --site NAME=TRAIN.csv,TEST.csv");
        }

        var schema = ExtractSchema.Load(schemaFile.FullName);
        if (schema.Target.Kind != TargetKind.Binary)
        {
            throw new CliException($"schema '{schemaFile.Name}': target '{schema.Target.Column}' is {schema.Target.Kind.ToString().ToLowerInvariant()}; the simulation evaluates binary outcomes (accuracy and AUC)");
        }

        var specs = siteValues.Select(SiteSpec.Parse).ToList();
        if (specs.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new CliException($"--site name '{duplicate.Key}' is given more than once");
        }

        var centres = specs.Select(s => new CentreData(s.Name, Load(s.Name, "training", s.TrainPath, schema), Load(s.Name, "test", s.TestPath, schema))).ToList();
        return new Workload($"{schemaFile.Name}, {schema.Target.Column}", centres, $"{specs.Count} site(s), {string.Join(", ", specs.Select(s => $"{s.Name}: {Path.GetFileName(s.TrainPath)} + {Path.GetFileName(s.TestPath)}"))}", null);
    }

    private static ExtractTable Load(string site, string role, string path, ExtractSchema schema)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"site '{site}': {role} file '{path}' does not exist");
        }

        try
        {
            return ExtractLoader.LoadFile(path, schema, BadRowPolicy.Fail);
        }
        catch (ExtractFormatException e)
        {
            throw new CliException($"site '{site}' {role} file: {e.Message}");
        }
    }

    /// <summary>samples/heart-disease above the current or program directory.</summary>
    /// <exception cref="DirectoryNotFoundException">None found.</exception>
    internal static string FindSampleDirectory()
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

    private sealed record Workload(string Title, IReadOnlyList<CentreData> Centres, string Source, IReadOnlyDictionary<string, double>? Published);
}
