using System.CommandLine;
using System.Globalization;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Benchmarks.Synthetic;

/// <summary>
/// <c>synthetic</c>: issue 15's learning bar through the real services. Generates the seeded
/// 4-site cohort (label skew, covariate shift), runs a plan that sets no hyperparameter (logistic,
/// <c>fedavg</c>, pairwise or CKKS) end to end on loopback, and compares the final model's pooled
/// test AUC with a logistic regression fitted to convergence on the pooled training rows. Exits 1
/// when the gap exceeds <see cref="SyntheticBenchSettings.Bar"/>.
/// </summary>
internal static class SyntheticBenchCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var defaults = new SyntheticCohortOptions();
        var rows = new Option<int>("--rows") { Description = "Rows over the 4 sites, train and test together (a quarter of each site's rows is its test split)", DefaultValueFactory = _ => defaults.Rows };
        var seed = new Option<int>("--seed") { Description = "The cohort's seed", DefaultValueFactory = _ => defaults.Seed };
        var rounds = new Option<int>("--rounds") { Description = "The plan's rounds: 1 statistics round, then training rounds", DefaultValueFactory = _ => 20 };
        var protection = new Option<string>("--protection") { Description = "The plan's protection: pairwise or ckks", DefaultValueFactory = _ => "pairwise" };
        var standardize = new Option<StandardizeMode>("--standardize") { Description = "The cohort schema's standardize member: All (every feature) or Numeric (one-hot and indicator features left as 0/1)", DefaultValueFactory = _ => defaults.Standardize };
        var command = new RootCommand("Synthetic learning benchmark: federated AUC through the real services vs a pooled logistic regression at convergence.")
        {
            rows, seed, rounds, protection, standardize,
        };
        command.SetAction(async (parse, token) =>
        {
            var settings = new SyntheticBenchSettings(
                defaults with { Rows = parse.GetValue(rows), Seed = parse.GetValue(seed), Standardize = parse.GetValue(standardize) },
                parse.GetValue(rounds),
                parse.GetValue(protection)!);
            if (Invalid(settings) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }

            return await MeasureAsync(settings, token).ConfigureAwait(false) ? 0 : 1;
        });
        return command.Parse(args).InvokeAsync(cancellationToken: cancellationToken);
    }

    private static string? Invalid(SyntheticBenchSettings s)
    {
        try
        {
            s.Cohort.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return $"--{ex.ParamName?.ToLowerInvariant()}: {ex.Message.Split(" (Parameter", 2)[0]}";
        }

        return s.Rounds is < 2 or > 1000 ? "--rounds must be from 2 to 1000"
            : s.Protection is not ("pairwise" or "ckks") ? $"--protection must be pairwise or ckks, got '{s.Protection}'"
            : null;
    }

    /// <summary>Runs the benchmark, prints its tables and returns whether the gap is within the bar.</summary>
    private static async Task<bool> MeasureAsync(SyntheticBenchSettings settings, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var cohort = SyntheticCohort.Generate(settings.Cohort);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"synthetic cohort: {settings.Cohort.Rows:N0} rows, {cohort.Sites.Count} sites, seed {settings.Cohort.Seed}, standardize {cohort.Schema.Standardize.ToString().ToLowerInvariant()}; plan: logistic, fedavg, {settings.Protection}, {settings.Rounds} rounds, hyperparameters {{}} (defaults); {Environment.ProcessorCount} cores"));
        Console.WriteLine();
        SyntheticBenchReport.WriteCohort(Console.Out, cohort);
        Console.WriteLine();

        var fitStarted = time.GetTimestamp();
        var reference = PooledLogisticReference.Create(cohort.Schema, [.. cohort.Sites.Select(s => s.LoadTrain())], [.. cohort.Sites.Select(s => s.LoadTest())]);
        var fitTime = time.GetElapsedTime(fitStarted);
        Console.WriteLine($"running the plan through the aggregator and {cohort.Sites.Count} site runtimes...");
        var outcome = await SyntheticBenchRun.RunAsync(cohort, settings, time, cancellationToken).ConfigureAwait(false);
        var result = new SyntheticBenchResult(settings, cohort, reference, fitTime, outcome);
        Console.WriteLine();
        SyntheticBenchReport.WriteResult(Console.Out, result);
        return result.Passed;
    }
}
