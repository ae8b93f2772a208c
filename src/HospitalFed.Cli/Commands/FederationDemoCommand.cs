using System.CommandLine;
using System.Globalization;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Simulation;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed demo</c>: a real federation of the four heart-disease hospitals on loopback (see <see cref="FederationDemo"/>).</summary>
internal static class FederationDemoCommand
{
    /// <summary>
    /// The demo's rounds under differential privacy unless --rounds says otherwise: the budget is
    /// split over the training rounds, so fewer rounds carry less noise each.
    /// </summary>
    private const long DpDefaultRounds = 5;

    public static Command Create()
    {
        var rounds = new Option<long>("--rounds") { Description = "Plan rounds: 1 feature-statistics round, then training rounds (2 to 200)", DefaultValueFactory = _ => 21 };
        var data = new Option<string?>("--data") { Description = "The Fed-Heart-Disease directory (default: samples/heart-disease above the current or program directory)" };
        var keep = new Option<bool>("--keep") { Description = "Keep the consortium directory (keys, configs, round log) for inspection" };
        var protection = ProtectionOption();
        var epsilon = new Option<double?>("--dp-epsilon") { Description = $"Give the plan a differential-privacy budget of this epsilon (delta 1e-5, clip norm 0.5, local learning rate 0.5, noise calibrated; pairwise only; --rounds then defaults to {DpDefaultRounds}); none by default" };
        var dashboard = new Option<bool>("--dashboard") { Description = "The aggregator also serves the consortium dashboard (HTTPS, 127.0.0.1); prints its URL and a login link, and keeps it up after the plan until Ctrl+C" };
        var command = new Command("demo", "Run a real federation on 127.0.0.1: CA, 2 admins (m = 2), aggregator and 4 hospital processes with mutual TLS and pairwise masking (or CKKS); prints the final table and verifies the round log.")
        {
            rounds, data, keep, protection, epsilon, dashboard,
        };
        CliAction.Set(command, async (parse, output, cancellationToken) =>
        {
            var dp = parse.GetValue(epsilon);
            var r = dp is not null && parse.GetResult(rounds) is null or { Implicit: true } ? DpDefaultRounds : parse.GetValue(rounds);
            if (r is < 2 or > 200)
            {
                throw new CliException($"--rounds must be from 2 to 200 (got {r}).");
            }

            if (dp is { } e && !(e > 0 && e <= HospitalFed.Ledger.Plans.PlanPrivacy.MaxEpsilon))
            {
                throw new CliException($"--dp-epsilon must be a number in (0, {HospitalFed.Ledger.Plans.PlanPrivacy.MaxEpsilon}] (got {e.ToString(CultureInfo.InvariantCulture)}).");
            }

            if (dp is not null && parse.GetValue(protection) != "pairwise")
            {
                throw new CliException("--dp-epsilon needs --protection pairwise: this release adds the noise shares before pairwise masking only (docs/privacy.md).");
            }

            var samples = parse.GetValue(data) ?? FindSamples();
            var result = await FederationDemo.RunAsync(samples, r, parse.GetValue(protection)!, parse.GetValue(keep), output, done => Print(output, done), cancellationToken, dp, parse.GetValue(dashboard)).ConfigureAwait(false);
            PrintCleanup(output, result); // after RunAsync: with --dashboard the aggregator ran until Ctrl+C
            return result.Log.Verified ? ExitCodes.Ok : ExitCodes.Failed;
        });
        command.Subcommands.Add(CreateProvision());
        return command;
    }

    /// <summary>
    /// <c>hfed demo provision</c>: writes the demo's consortium (the same files <c>hfed demo</c> runs) for
    /// an aggregator reached by name, so that separate hosts or containers can run exactly
    /// <c>hfed aggregator run --config DIR/aggregator.json</c> and <c>hfed site run --config DIR/NAME.json</c>
    /// (docker/compose.yaml does).
    /// </summary>
    private static Command CreateProvision()
    {
        var output = new Option<string>("--out") { Description = "Directory to write the consortium into (must be empty or absent)", Required = true };
        var host = new Option<string>("--aggregator-host") { Description = "Name the sites dial and the aggregator's certificate carries", DefaultValueFactory = _ => "localhost" };
        var port = new Option<int>("--port") { Description = "The aggregator's port", DefaultValueFactory = _ => 7443 };
        var sites = new Option<int>("--sites") { Description = "How many of the four hospitals to enroll (3 or 4)", DefaultValueFactory = _ => 4 };
        var rounds = new Option<long>("--rounds") { Description = "Plan rounds: 1 feature-statistics round, then training rounds (2 to 200)", DefaultValueFactory = _ => 21 };
        var data = new Option<string?>("--data") { Description = "The Fed-Heart-Disease directory (default: samples/heart-disease above the current or program directory)" };
        var protection = ProtectionOption();
        var state = new Option<string?>("--state-dir") { Description = "Where each site keeps its plan state across restarts, a directory per site under it (default: NAME.state beside each site's config)" };
        var command = new Command("provision", "Write the demo consortium (CA, admins' approvals, plan, aggregator and hospital keys, certificates, extracts and configs) for separate processes or containers.")
        {
            output, host, port, sites, rounds, data, protection, state,
        };
        CliAction.Set(command, (parse, writer, _) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            {
                throw new CliException($"{directory} is not empty; provision into a new directory.");
            }

            var siteCount = parse.GetValue(sites);
            if (siteCount is < 3 or > 4)
            {
                throw new CliException($"--sites must be 3 or 4 (got {siteCount}); the plan needs at least 3 sites.");
            }

            var r = parse.GetValue(rounds);
            if (r is < 2 or > 200)
            {
                throw new CliException($"--rounds must be from 2 to 200 (got {r}).");
            }

            var samples = parse.GetValue(data) ?? FindSamples();
            Directory.CreateDirectory(directory);
            using var files = new FederationDemoFiles(directory, samples, parse.GetValue(port), r, parse.GetValue(protection)!, parse.GetValue(host)!, siteCount, parse.GetValue(state));
            writer.WriteLine($"provisioned {directory}: plan {files.Plan.Id[..16]}, aggregator at {parse.GetValue(host)}:{parse.GetValue(port)}");
            writer.WriteLine($"  hfed aggregator run --config {Path.Combine(directory, "aggregator.json")}");
            foreach (var centre in files.Centres)
            {
                writer.WriteLine($"  hfed site run --config {Path.Combine(directory, centre.Name + ".json")}");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Option<string> ProtectionOption()
    {
        var option = new Option<string>("--protection") { Description = "How updates are protected: pairwise (masking) or ckks (encryption under a key no party holds)", DefaultValueFactory = _ => "pairwise" };
        option.AcceptOnlyFromAmong("pairwise", "ckks");
        return option;
    }

    private static void Print(TextWriter output, FederationDemoResult result)
    {
        var centres = FedHeartDisease.Centres;
        output.WriteLine();
        output.WriteLine($"{"Model",-40} {"pooled acc",10} {"pooled AUC",10}  " + string.Join("  ", centres.Select(c => $"{c,-18}")));
        foreach (var row in result.Rows)
        {
            var sites = row.SiteAccuracy.Select((a, k) => row.SiteAuc is null ? $"acc {F(a)}" + new string(' ', 10) : $"acc {F(a)} AUC {F(row.SiteAuc[k])}");
            output.WriteLine($"{row.Method,-40} {F(row.PooledAccuracy),10} {F(row.PooledAuc),10}  " + string.Join("  ", sites.Select(s => $"{s,-18}")));
        }

        output.WriteLine();
        if (result.Secure is { } secure)
        {
            output.WriteLine($"secure sums (what the aggregator learned; no per-site or per-row figures) for the model entering round {secure.Round}: {MetricsSummary.Format(secure.Metrics)}");
            output.WriteLine("the other rows are computed here, in one process, from every hospital's test rows: the final model, pooled and local-only training");
        }

        var log = result.Log;
        output.WriteLine(log.Verified
            ? $"round log: {log.Entries} signed entries, Merkle tree heads and every rule verified"
            : $"round log: VERIFICATION FAILED: {log.Failure}");
        if (log.Privacy is { } privacy)
        {
            output.WriteLine($"privacy: {privacy} (recomputed from the signed log and the plan)");
        }

        output.WriteLine($"tree heads: {log.TreeHeads} signed, {log.Countersignatures} countersignatures by sites; the last (size {log.LastHeadSize}) countersigned by {(log.LastHeadWitnesses.Count == 0 ? "no site" : string.Join(", ", log.LastHeadWitnesses))}");
        output.WriteLine($"truncation and fork checks: active, against {log.HeldHeads} heads the sites exported (hfed site heads export); {log.CutCheck}");
    }

    private static void PrintCleanup(TextWriter output, FederationDemoResult result) =>
        output.WriteLine(result.KeptDirectory is null ? "cleaned up: no process or file left behind" : $"kept {result.KeptDirectory}; no process left behind");

    private static string F(double value) => double.IsNaN(value) ? "  n/a" : value.ToString("F3", CultureInfo.InvariantCulture);

    private static string FindSamples()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "heart-disease");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new CliException("samples/heart-disease not found above the current or program directory; pass --data DIR.");
    }
}
