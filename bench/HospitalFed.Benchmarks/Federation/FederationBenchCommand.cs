using System.CommandLine;
using System.Globalization;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>
/// <c>federation</c>: the end-to-end round benchmark (DESIGN.md performance targets). For each
/// protection it runs a whole plan over loopback and reports the median training-round time, its
/// ratio to plaintext measured in the same run, the wire bytes per round and where the time goes.
/// </summary>
internal static class FederationBenchCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var sites = new Option<int>("--sites") { Description = "Sites (each a full site runtime with its own TLS channel)", DefaultValueFactory = _ => 10 };
        var parameters = new Option<int>("--parameters") { Description = "Target MLP size in parameters", DefaultValueFactory = _ => 1_000_000 };
        var rounds = new Option<int>("--rounds") { Description = "Plan rounds: 1 statistics round, 1 warm-up training round, then the measured rounds", DefaultValueFactory = _ => 8 };
        var features = new Option<int>("--features") { Description = "Features per row (the MLP's input width)", DefaultValueFactory = _ => 32 };
        var trainRows = new Option<int>("--train-rows") { Description = "Training rows per site", DefaultValueFactory = _ => 400 };
        var testRows = new Option<int>("--test-rows") { Description = "Test rows per site", DefaultValueFactory = _ => 100 };
        var protections = new Option<string>("--protections") { Description = "Plan protections to measure, comma-separated, plaintext first", DefaultValueFactory = _ => "none,pairwise,ckks" };
        var repeat = new Option<int>("--repeat") { Description = "Cycles through the protections (rounds are pooled per protection)", DefaultValueFactory = _ => 1 };
        var dashboard = new Option<string>("--dashboard") { Description = "off, on (the aggregator serves its dashboard with a browser-like client on the live view), or both: each protection off then on in every cycle, with the overhead as a ratio", DefaultValueFactory = _ => "off" };
        dashboard.AcceptOnlyFromAmong("off", "on", "both");
        var minSites = new Option<int?>("--min-sites") { Description = "The plan's minimum sites, which sets the threshold t = max(min-sites, floor(2n/3) + 1) (default: floor(2n/3) + 1, tolerating n - t dropouts)" };
        var command = new RootCommand("End-to-end federation benchmark: plaintext FedAvg vs pairwise masking vs CKKS on loopback.")
        {
            sites, parameters, rounds, features, trainRows, testRows, protections, repeat, minSites, dashboard,
        };
        command.SetAction(async (parse, token) =>
        {
            var settings = new FederationBenchSettings(
                parse.GetValue(sites), parse.GetValue(parameters), parse.GetValue(rounds), parse.GetValue(features),
                parse.GetValue(trainRows), parse.GetValue(testRows),
                [.. parse.GetValue(protections)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                parse.GetValue(repeat),
                parse.GetValue(minSites) ?? FederationBenchSettings.DefaultMinSites(parse.GetValue(sites)));
            if (Invalid(settings) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }

            var mode = parse.GetValue(dashboard)!;
            await MeasureAsync(settings, mode == "both" ? [false, true] : [mode == "on"], token).ConfigureAwait(false);
            return 0;
        });
        return command.Parse(args).InvokeAsync(cancellationToken: cancellationToken);
    }

    private static string? Invalid(FederationBenchSettings s) =>
        s.Sites is < 3 or > 100 ? "--sites must be from 3 to 100"
        : s.Parameters is < 1_000 or > 30_000_000 ? "--parameters must be from 1000 to 30000000"
        : s.Rounds is < 4 or > 1000 ? "--rounds must be from 4 to 1000 (statistics, warm-up and at least two measured rounds)"
        : s.Features is < 1 or > 4096 ? "--features must be from 1 to 4096"
        : s.TrainRows is < 16 or > 1_000_000 || s.TestRows is < 1 or > 1_000_000 ? "--train-rows must be from 16 and --test-rows from 1, both at most 1000000"
        : s.Protections.Count == 0 ? "--protections must name at least one protection"
        : s.Repeat is < 1 or > 20 ? "--repeat must be from 1 to 20"
        : s.MinSites < 2 || s.MinSites > s.Sites ? "--min-sites must be from 2 to --sites"
        : null;

    /// <summary>The label of a measured configuration: the protection, with " + dashboard" when the aggregator served it.</summary>
    private static string Label(string protection, bool dashboard) => dashboard ? protection + DashboardSuffix : protection;

    private const string DashboardSuffix = " + dashboard";

    private static async Task MeasureAsync(FederationBenchSettings settings, IReadOnlyList<bool> dashboards, CancellationToken cancellationToken)
    {
        var h = settings.HiddenLayers;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Sites} sites, MLP {settings.Features} -> {h[0]} -> {h[1]} -> 1 ({settings.ModelParameters:N0} parameters), {settings.Rounds} rounds, plan minimum {settings.MinSites} sites, {settings.TrainRows} train / {settings.TestRows} test rows per site, {Environment.ProcessorCount} cores"));
        var measured = new Dictionary<string, List<RoundMeasure>>(StringComparer.Ordinal);
        foreach (var protection in settings.Protections)
        {
            foreach (var dashboard in dashboards)
            {
                measured[Label(protection, dashboard)] = [];
            }
        }

        var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var cycle = 0; cycle < settings.Repeat; cycle++)
        {
            foreach (var protection in settings.Protections)
            {
                // Off then on, back to back, so a noisy stretch of the machine hits both.
                foreach (var dashboard in dashboards)
                {
                    var label = Label(protection, dashboard);
                    if (unavailable.ContainsKey(label))
                    {
                        continue;
                    }

                    Console.WriteLine($"running {label} (cycle {cycle + 1} of {settings.Repeat})...");
                    try
                    {
                        measured[label].AddRange(await FederationBenchRun.RunAsync(settings, protection, dashboard, completed: null, cancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex) when (ex is PlanException or OrchestratorException or FormatException or InvalidOperationException)
                    {
                        unavailable[label] = ex.Message;
                        Console.WriteLine($"  {label}: not measured: {ex.Message}");
                    }
                }
            }
        }

        Console.WriteLine();
        FederationBenchReport.Write(Console.Out, settings, measured, unavailable);
        if (dashboards.Count == 2)
        {
            FederationBenchReport.WriteDashboardOverhead(Console.Out, settings.Protections, measured, DashboardSuffix);
        }
    }
}
