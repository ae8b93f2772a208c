using System.CommandLine;
using System.Globalization;
using HospitalFed.Benchmarks.Federation;

namespace HospitalFed.Benchmarks.LongPlan;

/// <summary>
/// <c>long-plan</c>: runs one long plan through the real services (the same aggregator runtime,
/// sites, protection and SQLite round log as <c>federation</c>) with a small model, so rounds are
/// fast and any cost that grows with the round number shows. Reports the per-round time near
/// rounds 10, 100, 500 and 1,000 as ratios to round 10, and the round log's bytes per round.
/// </summary>
internal static class LongPlanCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = new Option<int>("--rounds") { Description = "Plan rounds (1 statistics round, then training rounds)", DefaultValueFactory = _ => 1000 };
        var sites = new Option<int>("--sites") { Description = "Sites", DefaultValueFactory = _ => 3 };
        var parameters = new Option<int>("--parameters") { Description = "Target MLP size in parameters (small, so a round is fast)", DefaultValueFactory = _ => 1000 };
        var protection = new Option<string>("--protection") { Description = "The plan's protection: none, pairwise or ckks", DefaultValueFactory = _ => "pairwise" };
        var command = new RootCommand("Long-plan benchmark: per-round time and round-log bytes per round over a whole plan.")
        {
            rounds, sites, parameters, protection,
        };
        command.SetAction(async (parse, token) =>
        {
            var settings = new FederationBenchSettings(
                parse.GetValue(sites), parse.GetValue(parameters), parse.GetValue(rounds), Features: 8, TrainRows: 64, TestRows: 16,
                [parse.GetValue(protection)!], Repeat: 1, FederationBenchSettings.DefaultMinSites(parse.GetValue(sites)));
            if (settings.Rounds is < 20 or > 1000 || settings.Sites is < 3 or > 20 || settings.Parameters is < 1000 or > 100_000)
            {
                await Console.Error.WriteLineAsync("--rounds must be from 20 to 1000, --sites from 3 to 20 and --parameters from 1000 to 100000").ConfigureAwait(false);
                return 2;
            }

            await MeasureAsync(settings, token).ConfigureAwait(false);
            return 0;
        });
        return command.Parse(args).InvokeAsync(cancellationToken: cancellationToken);
    }

    private static async Task MeasureAsync(FederationBenchSettings settings, CancellationToken cancellationToken)
    {
        var protection = settings.Protections[0];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Sites} sites, {protection}, MLP of {settings.ModelParameters:N0} parameters, {settings.Rounds} rounds, {Environment.ProcessorCount} cores"));
        LongPlanLogSize? logSize = null;
        var rounds = await FederationBenchRun.RunAsync(
            settings,
            protection,
            dashboard: false,
            async aggregator => logSize = await LongPlanLogSize.MeasureAsync(aggregator.Log, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        Console.WriteLine();
        LongPlanReport.WriteRoundTimes(Console.Out, rounds);
        Console.WriteLine();
        LongPlanReport.WriteLogSize(Console.Out, logSize!);
    }
}
