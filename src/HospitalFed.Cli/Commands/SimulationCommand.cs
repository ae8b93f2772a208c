using System.CommandLine;
using System.Text.Json.Nodes;
using HospitalFed.Ledger.Canonical;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Cli.Commands;

/// <summary>
/// <c>hfed audit simulate</c>: runs a whole simulated consortium through the ledger API and writes
/// what an auditor receives (root, CRL, log, a site's countersigned heads), for demos, training
/// and building tamper corpora.
/// </summary>
internal static class SimulationCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory to write root.cert.pem, consortium.crl.pem, consortium.json, plan.json, round-log.jsonl and site-heads.jsonl into", Required = true };
        var sites = new Option<int>("--sites") { Description = "Number of sites", DefaultValueFactory = _ => 4 };
        var rounds = new Option<int>("--rounds") { Description = "Number of rounds", DefaultValueFactory = _ => 5 };
        var epsilon = new Option<double?>("--dp-epsilon") { Description = "Give the plan a differential-privacy budget of this epsilon (delta 1e-5, clip norm 1, noise calibrated) so the log records a privacy spend per training round; none by default" };
        var command = new Command("simulate", "Write a simulated consortium's round log and the files an auditor needs to verify it.") { output, sites, rounds, epsilon };
        CliAction.Set(command, async (parse, stdout, cancellationToken) =>
        {
            var n = parse.GetValue(sites);
            var r = parse.GetValue(rounds);
            if (n is < 3 or > 200 || r is < 2 or > 10_000)
            {
                throw new CliException("--sites must be from 3 to 200 and --rounds from 2 to 10000");
            }

            var dp = parse.GetValue(epsilon);
            if (dp is { } e && !(e > 0 && e <= PlanPrivacy.MaxEpsilon))
            {
                throw new CliException($"--dp-epsilon must be a number in (0, {PlanPrivacy.MaxEpsilon}]");
            }

            var directory = parse.GetValue(output)!;
            using var simulation = ConsortiumSimulation.Create(n);
            var privacy = dp is { } budget ? new JsonObject { ["clipNorm"] = 1.0, ["delta"] = 1e-5, ["epsilon"] = budget } : null;
            var plan = ConsortiumSimulation.Plan(r, minSites: 3, privacy: privacy);
            using var store = new MemoryLogStore();
            var log = simulation.BuildLog(store, plan, countersigningSites: 1);
            using var file = new MemoryStream();
            await log.ExportAsync(file, cancellationToken).ConfigureAwait(false);
            var heads = store.ReadAll().Select(l => LogLine.Decode(l, out _)).Where(e => e.Kind == LogEntryKind.Countersignature)
                .SelectMany(e => LogLine.Encode(e, null).Append((byte)'\n')).ToArray();
            CliFiles.WritePublic(Path.Combine(directory, HospitalFed.Ledger.Simulation.ConsortiumDirectory.RootFile), simulation.Root.ExportCertificatePem());
            CliFiles.WritePublic(Path.Combine(directory, HospitalFed.Ledger.Simulation.ConsortiumDirectory.CrlFile), simulation.CrlPem);
            CliFiles.WritePublic(Path.Combine(directory, "consortium.json"), CanonicalJson.Encode(simulation.Config.ToSignedJson()));
            CliFiles.WritePublic(Path.Combine(directory, "plan.json"), plan.CanonicalBytes);
            CliFiles.WritePublic(Path.Combine(directory, "round-log.jsonl"), file.ToArray());
            CliFiles.WritePublic(Path.Combine(directory, "site-heads.jsonl"), heads);
            stdout.WriteLine($"wrote a {log.Size}-entry log of plan {plan.Id} ({n} sites, {r} rounds{(dp is { } spent ? $", differential privacy at epsilon {spent}" : "")}) to {directory}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
