using System.CommandLine;
using System.Globalization;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Optimization;
using HospitalFed.Learning.Simulation;
using HospitalFed.Learning.Synthetic;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;
using Spectre.Console;

namespace HospitalFed.Cli.Commands.Simulate;

/// <summary>
/// <c>hfed simulate dp</c>: the utility of differential privacy, in process: FedAvg of a logistic
/// regression through the deployed distributed discrete Gaussian mechanism at each epsilon
/// (<see cref="PrivacyUtilitySimulation"/>), on the bundled heart-disease sample or a synthetic
/// consortium of 4 to 16 sites generated in memory.
/// </summary>
internal static class PrivacySimulateCommand
{
    private const string Name = "hfed simulate dp";

    /// <summary>Builds the command; output goes to <paramref name="console"/>, failures to <paramref name="error"/>.</summary>
    public static Command Create(IAnsiConsole? console, TextWriter? error)
    {
        var dataset = new Option<string>("--dataset")
        {
            Description = "heart-disease (the bundled FLamby sample, its published test split) or synthetic (a generated consortium; see --sites and --rows).",
            DefaultValueFactory = _ => "heart-disease",
        };
        var epsilons = new Option<string>("--epsilon")
        {
            Description = "Comma-separated plan budgets; 'inf' runs plain FedAvg and the private pipeline without noise.",
            DefaultValueFactory = _ => "1,3,8,inf",
        };
        var delta = new Option<double>("--delta") { Description = "The plan's delta.", DefaultValueFactory = _ => 1e-5 };
        var clip = new Option<double>("--clip-norm") { Description = "The plan's clip norm (L2 norm of each site's model delta).", DefaultValueFactory = _ => PrivacyUtilitySettings.DefaultClipNorm };
        var rounds = new Option<int>("--rounds") { Description = "Training rounds (the plan has one more: round 1 pools statistics).", DefaultValueFactory = _ => PrivacyUtilitySettings.DefaultRounds };
        var seeds = new Option<int>("--seeds") { Description = "Number of seeds (0, 1, ...) to average over.", DefaultValueFactory = _ => 5 };
        var sites = new Option<int>("--sites") { Description = "Synthetic sites: 4, 8, 12 or 16 (only with --dataset synthetic).", DefaultValueFactory = _ => SyntheticCentres.MaxSites };
        var rows = new Option<int>("--rows") { Description = "Synthetic rows over all sites, train and test (only with --dataset synthetic).", DefaultValueFactory = _ => new SyntheticCohortOptions().Rows };
        var epochs = new Option<int>("--local-epochs") { Description = "Most passes over a site's training rows per round (early stopping may end sooner).", DefaultValueFactory = _ => PrivacyUtilitySettings.DefaultLocalEpochs };
        var rate = new Option<double>("--learning-rate") { Description = "Local SGD learning rate at round 1 (cosine decay to 0.1x over the rounds).", DefaultValueFactory = _ => PrivacyUtilitySettings.DefaultLearningRate };
        var cohortSeed = new Option<int>("--synthetic-seed") { Description = "Seed of the synthetic cohort (only with --dataset synthetic).", DefaultValueFactory = _ => new SyntheticCohortOptions().Seed };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Directory holding the heart-disease sample (default: samples/heart-disease above the current or program directory)." };
        var command = new Command("dp", "Utility of differential privacy: FedAvg through the deployed distributed discrete Gaussian mechanism at each epsilon, test accuracy and AUC over seeds (no network).")
        {
            dataset, epsilons, delta, clip, rounds, epochs, rate, seeds, sites, rows, cohortSeed, data,
        };
        command.SetAction(result =>
        {
            var output = console ?? AnsiConsole.Console;
            var errors = error ?? Console.Error;
            try
            {
                var options = new Arguments(
                    result.GetValue(dataset)!,
                    result.GetValue(epsilons)!,
                    result.GetValue(delta),
                    result.GetValue(clip),
                    result.GetValue(rounds),
                    result.GetValue(epochs),
                    result.GetValue(rate),
                    result.GetValue(seeds),
                    result.GetResult(sites) is { Implicit: false } ? result.GetValue(sites) : null,
                    result.GetResult(rows) is { Implicit: false } ? result.GetValue(rows) : null,
                    result.GetResult(cohortSeed) is { Implicit: false } ? result.GetValue(cohortSeed) : null,
                    result.GetValue(data));
                Run(options, output);
                return 0;
            }
            catch (Exception e) when (e is CliException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException
                or SchemaException or ExtractFormatException or PlanException or FormatException or InvalidOperationException)
            {
                errors.WriteLine($"{Name}: {CliRunner.OneLine(e.Message)}");
                return 1;
            }
        });
        return command;
    }

    private static void Run(Arguments arguments, IAnsiConsole console)
    {
        var settings = Settings(arguments);
        var (title, centres) = Load(arguments);
        var results = PrivacyUtilitySimulation.Run(centres, settings);
        PrivacyUtilityTable.Render(console, title, centres, results, settings);
    }

    private static PrivacyUtilitySettings Settings(Arguments a)
    {
        if (a.Seeds is < 1 or > 100)
        {
            throw new CliException($"--seeds must be from 1 to 100, got {a.Seeds}");
        }

        if (a.Rounds is < 1 or > 1000)
        {
            throw new CliException($"--rounds must be from 1 to 1000 training rounds, got {a.Rounds}");
        }

        if (!(a.Delta > 0 && a.Delta <= PlanPrivacy.MaxDelta))
        {
            throw new CliException(Invariant($"--delta must be a number in (0, {PlanPrivacy.MaxDelta}], got {a.Delta}"));
        }

        if (!(a.ClipNorm > 0 && a.ClipNorm <= PlanPrivacy.MaxClipNorm))
        {
            throw new CliException(Invariant($"--clip-norm must be a number in (0, {PlanPrivacy.MaxClipNorm}], got {a.ClipNorm}"));
        }

        if (a.LocalEpochs is < 1 or > 100)
        {
            throw new CliException($"--local-epochs must be from 1 to 100, got {a.LocalEpochs}");
        }

        if (!(a.LearningRate > 0 && a.LearningRate <= 10))
        {
            throw new CliException(Invariant($"--learning-rate must be a number in (0, 10], got {a.LearningRate}"));
        }

        return new PrivacyUtilitySettings
        {
            Epsilons = ParseEpsilons(a.Epsilons),
            Delta = a.Delta,
            ClipNorm = a.ClipNorm,
            Simulation = new SimulationSettings
            {
                Rounds = a.Rounds,
                Seeds = [.. Enumerable.Range(0, a.Seeds)],
                Local = new TrainingOptions { Epochs = a.LocalEpochs, LearningRate = (float)a.LearningRate },
            },
        };
    }

    /// <summary>Parses <c>--epsilon</c>: numbers in (0, 100] and <c>inf</c>, comma-separated, each at most once.</summary>
    internal static double[] ParseEpsilons(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        var epsilons = new List<double>();
        foreach (var part in parts)
        {
            double epsilon;
            if (part is "inf" or "infinity" or "∞")
            {
                epsilon = double.PositiveInfinity;
            }
            else if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out epsilon) || !(epsilon > 0 && epsilon <= PlanPrivacy.MaxEpsilon))
            {
                throw new CliException(Invariant($"--epsilon '{value}': '{part}' is not a number in (0, {PlanPrivacy.MaxEpsilon}] or 'inf'"));
            }

            if (epsilons.Contains(epsilon))
            {
                throw new CliException($"--epsilon '{value}': '{part}' is given twice");
            }

            epsilons.Add(epsilon);
        }

        return [.. epsilons];
    }

    private static (string Title, IReadOnlyList<CentreData> Centres) Load(Arguments a)
    {
        switch (a.Dataset)
        {
            case "heart-disease":
                if (a.Sites is not null || a.Rows is not null || a.SyntheticSeed is not null)
                {
                    throw new CliException("--sites, --rows and --synthetic-seed are for --dataset synthetic; the heart-disease sample has its four centres");
                }

                var directory = a.Data?.FullName ?? SimulateCommand.FindSampleDirectory();
                return ("Fed-Heart-Disease", FedHeartDisease.Load(directory));
            case "synthetic":
                if (a.Data is not null)
                {
                    throw new CliException("--data is for --dataset heart-disease; the synthetic consortium is generated in memory");
                }

                var sites = a.Sites ?? SyntheticCentres.MaxSites;
                if (sites is not (4 or 8 or 12 or 16))
                {
                    throw new CliException($"--sites must be 4, 8, 12 or 16 (each of the synthetic cohort's four hospitals cut into 1 to 4 sites), got {sites}");
                }

                var defaults = new SyntheticCohortOptions();
                var options = defaults with { Rows = a.Rows ?? defaults.Rows, Seed = a.SyntheticSeed ?? defaults.Seed };
                if (options.Rows is < 400 or > SyntheticCohortOptions.MaxRows)
                {
                    throw new CliException(Invariant($"--rows must be from 400 to {SyntheticCohortOptions.MaxRows:N0}, got {options.Rows}"));
                }

                return (Invariant($"Synthetic readmission cohort ({options.Rows:N0} rows, seed {options.Seed})"), SyntheticCentres.Load(options, sites));
            default:
                throw new CliException($"--dataset must be heart-disease or synthetic, got '{a.Dataset}'");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Arguments(string Dataset, string Epsilons, double Delta, double ClipNorm, int Rounds, int LocalEpochs, double LearningRate, int Seeds, int? Sites, int? Rows, int? SyntheticSeed, DirectoryInfo? Data);
}
