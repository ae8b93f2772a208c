using System.CommandLine;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Cli.Commands;

/// <summary>
/// <c>hfed audit export</c>: copies a plan's round log out of the aggregator's SQLite store as JSON
/// Lines, the form <c>hfed audit verify</c> and <c>report</c> read. The copy is byte for byte: the
/// export trusts nothing and checks nothing; the auditor's verification does.
/// </summary>
internal static class AuditExportCommand
{
    public static Command Create()
    {
        var database = new Argument<string>("database") { Description = "The aggregator's round-log database (the 'log' file of aggregator.json)" };
        var output = new Option<string>("--out") { Description = "Where to write the JSON Lines log", Required = true };
        var plan = new Option<string?>("--plan") { Description = "The plan id, when the database holds the logs of several plans" };
        var command = new Command("export", "Export a plan's round log from the aggregator's database as JSON Lines for offline verification.") { database, output, plan };
        CliAction.Set(command, async (parse, writer, cancellationToken) =>
        {
            var path = parse.GetValue(database)!;
            if (!File.Exists(path))
            {
                throw new CliException($"{path}: no such round-log database.");
            }

            var plans = SqliteLogStore.Plans(path);
            var planId = parse.GetValue(plan) ?? plans.Count switch
            {
                0 => throw new CliException($"{path}: the database holds no round log."),
                1 => plans[0],
                _ => throw new CliException($"{path} holds the logs of {plans.Count} plans ({string.Join(", ", plans.Select(p => p[..16]))}...); choose one with --plan."),
            };
            if (!plans.Contains(planId, StringComparer.Ordinal))
            {
                throw new CliException($"{path} holds no log for plan {planId}.");
            }

            using var store = SqliteLogStore.Open(path, planId);
            var target = parse.GetValue(output)!;
            await using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
            {
                foreach (var line in store.ReadAll())
                {
                    await file.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                    file.WriteByte((byte)'\n');
                }
            }

            writer.WriteLine($"exported {store.Count} entries of plan {planId[..16]} to {target}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
