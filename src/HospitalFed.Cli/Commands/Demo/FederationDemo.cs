using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using HospitalFed.Aggregator.Persistence;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;

namespace HospitalFed.Cli.Commands.Demo;

/// <summary>
/// <c>hfed demo</c>: a real federation on loopback. It writes a throwaway consortium, starts the
/// aggregator and the four hospitals as separate <c>hfed</c> processes (mutual TLS, pairwise
/// masking or CKKS), follows the rounds, evaluates the final model beside pooled and local-only training,
/// verifies the round log, and removes every process and file it made.
/// </summary>
internal static partial class FederationDemo
{
    /// <summary>Runs the demo; <paramref name="progress"/> receives one line per event, <paramref name="finished"/> the result.</summary>
    /// <param name="samples">The Fed-Heart-Disease directory.</param>
    /// <param name="rounds">Plan rounds.</param>
    /// <param name="protection">"pairwise" or "ckks".</param>
    /// <param name="keep">Keep the consortium directory.</param>
    /// <param name="progress">Receives one line per event.</param>
    /// <param name="finished">Receives the result as soon as it is known (before a dashboard is kept up).</param>
    /// <param name="cancellationToken">Stops the demo (its processes are killed).</param>
    /// <param name="dpEpsilon">A differential-privacy budget for the plan (pairwise only; docs/privacy.md), or null for none.</param>
    /// <param name="dashboard">
    /// Serve the dashboard from the aggregator (<c>--dashboard</c>): its URL and a login link (signed
    /// here with an admin's key) are printed at the start and, fresh, once the plan finished; the
    /// aggregator then keeps it up until <paramref name="cancellationToken"/> (Ctrl+C).
    /// </param>
    public static async Task<FederationDemoResult> RunAsync(string samples, long rounds, string protection, bool keep, TextWriter progress, Action<FederationDemoResult> finished, CancellationToken cancellationToken, double? dpEpsilon = null, bool dashboard = false)
    {
        var directory = Directory.CreateTempSubdirectory("hfed-demo-").FullName;
        var children = new List<ChildProcess>();
        var transcript = new List<string>();
        try
        {
            using var files = new FederationDemoFiles(directory, samples, FreePort(), rounds, protection, dpEpsilon: dpEpsilon);
            var origin = dashboard ? FederationDemoDashboard.Enable(files, FreePort()) : null;
            var privacy = files.Plan.Privacy;
            var method = (protection == "ckks" ? "CKKS" : "pairwise masking") + (privacy is null ? "" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $", DP epsilon {privacy.Epsilon:G6}"));
            progress.WriteLine($"consortium: CA, 2 admins (m = 2), aggregator, {files.Centres.Count} hospitals ({string.Join(", ", files.Centres.Select(c => c.Name))})");
            progress.WriteLine($"plan {files.Plan.Id[..16]}: {rounds} rounds (1 feature-statistics round, then FedAvg), {method}, approved by 2 of 2 admins");
            if (privacy is not null)
            {
                progress.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"differential privacy: epsilon {privacy.Epsilon:G6}, delta {privacy.Delta:0.##e+0} for the whole plan; clip norm {privacy.ClipNorm:G6}, noise multiplier {privacy.NoiseMultiplier:0.####}, each site adds 1/{privacy.MinContributors} of the noise before masking"));
            }

            string? finalModel = null;
            var planEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var dashboardUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var aggregator = ChildProcess.Start(["aggregator", "run", "--config", files.PathOf("aggregator.json")], line =>
            {
                lock (transcript)
                {
                    transcript.Add(line);
                    // a round opens in AdvertisingKeys (pairwise) or CollectingInputs (CKKS)
                    if (RoundOpened().Match(line) is { Success: true } opened && opened.Groups[2].Value == (protection == "ckks" ? "CollectingInputs" : "AdvertisingKeys"))
                    {
                        progress.WriteLine(opened.Groups[1].Value == "1"
                            ? (privacy is null ? "round 1: secure sum of feature statistics (for standardisation)" : "round 1: no data-dependent statistics under differential privacy (standardisation from the schema's declared ranges)")
                            : $"round {opened.Groups[1].Value}/{rounds}: training, {(protection == "ckks" ? "encrypting, aggregating, decrypting" : privacy is null ? "masking, aggregating" : "clipping, noising, masking, aggregating")}");
                    }
                    else if (line.Contains("dashboard listening on", StringComparison.Ordinal))
                    {
                        dashboardUp.TrySetResult();
                    }
                    else if (FinalModel().Match(line) is { Success: true } final)
                    {
                        finalModel = final.Groups[1].Value;
                        planEnded.TrySetResult(); // with --dashboard the aggregator goes on serving
                    }
                }
            });
            children.Add(aggregator);
            foreach (var centre in files.Centres)
            {
                children.Add(ChildProcess.Start(["site", "run", "--config", files.PathOf($"{centre.Name}.json")], line =>
                {
                    lock (transcript)
                    {
                        transcript.Add($"[{centre.Name}] {line}");
                    }
                }));
            }

            progress.WriteLine($"started the aggregator and {files.Centres.Count} site processes on 127.0.0.1 (pids {string.Join(", ", children.Select(c => c.Id))})");
            if (origin is not null)
            {
                // The link only once the dashboard listens (the aggregator opens it after loading the plan and log).
                await Task.WhenAny(dashboardUp.Task, children[0].WaitAsync(cancellationToken)).ConfigureAwait(false);
                FederationDemoDashboard.PrintLogin(files, origin, progress, "watch the rounds live");
            }

            var sites = children.Skip(1).Select(c => c.WaitAsync(cancellationToken)).ToList();
            var aggregatorDone = origin is null
                ? children[0].WaitAsync(cancellationToken)
                : Task.WhenAny(planEnded.Task, children[0].WaitAsync(cancellationToken)).ContinueWith(_ => 0, cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default);
            var codes = await Task.WhenAll([aggregatorDone, .. sites]).ConfigureAwait(false);
            if (codes.Any(c => c != 0) || finalModel is null)
            {
                string last;
                lock (transcript)
                {
                    last = transcript.LastOrDefault(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase)) ?? transcript.LastOrDefault() ?? "no output";
                }

                throw new CliException($"the federation did not complete (exit codes {string.Join(", ", codes)}): {last}", ExitCodes.Failed);
            }

            progress.WriteLine($"plan completed; every site holds model {finalModel[..16]}; evaluating beside pooled and local-only training");
            // The table's first column is 40 characters wide: under DP the row names the budget, not the masking.
            var rows = Evaluate(files, finalModel, privacy is null ? method : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"DP epsilon {privacy.Epsilon:G6}"));
            var (log, secure) = VerifyLog(files, progress);
            if (secure is not null)
            {
                // What the aggregator itself learned: the pooled metrics from secure sums (the final model has none; sites evaluate a model when the next round starts).
                rows.Insert(1, new FederationDemoRow($"Secure sums, model entering round {secure.Round}", secure.Metrics.GetValueOrDefault("accuracy", double.NaN), secure.Metrics.GetValueOrDefault("auc", double.NaN), [], null));
            }

            var result = new FederationDemoResult(finalModel, rows, log, keep ? directory : null, secure);
            finished(result);
            if (origin is not null)
            {
                await FederationDemoDashboard.KeepUpAsync(files, origin, children[0], progress, cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
        finally
        {
            foreach (var child in children)
            {
                child.Dispose(); // kills any process still running (cancel, failure)
            }

            if (!keep)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static List<FederationDemoRow> Evaluate(FederationDemoFiles files, string digest, string method)
    {
        var centres = files.Centres;
        var pipeline = new FeaturePipeline(centres[0].Train.Schema);
        var model = new LogisticRegression<float>(pipeline.FeatureCount);
        var (parameters, statistics) = new ModelStore(files.PathOf("models")).Read(digest, model.Layout.Count);
        var pooled = FeatureStatistics.ReadFrom(statistics);
        var labels = new List<float>();
        var scores = new List<float>();
        var siteAccuracy = new List<double>();
        var siteAuc = new List<double>();
        foreach (var centre in centres)
        {
            var test = pipeline.Transform(centre.Test, pooled);
            var probabilities = new float[test.Rows];
            model.Predict(parameters, test.Features, test.Rows, probabilities, model.CreateWorkspace(Math.Max(1, test.Rows)));
            siteAccuracy.Add(BinaryMetrics.Accuracy(probabilities, test.Targets));
            siteAuc.Add(BinaryMetrics.AucRoc(probabilities, test.Targets));
            labels.AddRange(test.Targets);
            scores.AddRange(probabilities);
        }

        var rows = new List<FederationDemoRow>
        {
            new($"Federated (this run, {method})", BinaryMetrics.Accuracy([.. scores], [.. labels]), BinaryMetrics.AucRoc([.. scores], [.. labels]), siteAccuracy, siteAuc),
        };

        // Baselines on the same split, trained in this process: what pooling all rows would give, and each hospital alone.
        var report = HeartDiseaseSimulation.Run(centres, new SimulationSettings { Seeds = [0] });
        foreach (var result in report.Results.Where(r => !r.IsFederated))
        {
            rows.Add(new FederationDemoRow(result.Method, result.PooledAccuracy, result.PooledAuc, result.CentreAccuracy, result.CentreAuc));
        }

        return rows;
    }

    /// <summary>
    /// The auditor's check with what a real deployment gives them: each site exports the heads it
    /// countersigned (as <c>hfed site heads export</c> writes them, into NAME.heads.jsonl), and the log
    /// is verified against all of them. The same log cut before its last round is verified too, to
    /// show the truncation check at work. Also returns the last round whose signed metrics entry has
    /// an AUC: the pooled metrics the aggregator learned from secure sums.
    /// </summary>
    private static (FederationDemoVerdict Verdict, RoundSummary? Secure) VerifyLog(FederationDemoFiles files, TextWriter progress)
    {
        using var store = SqliteLogStore.Open(files.PathOf("round-log.db"), files.Plan.Id);
        var lines = store.ReadAll().ToList();
        var held = new List<LogEntry>();
        foreach (var centre in files.Centres)
        {
            var state = SiteHeadsCommand.LoadState(files.PathOf($"{centre.Name}.json"));
            var path = files.PathOf($"{centre.Name}.heads.jsonl");
            CliFiles.WritePublic(path, SiteHeadsCommand.FileBytes(state));
            held.AddRange(LogVerifier.SplitLines(File.ReadAllBytes(path)).Select(l => LogLine.Decode(l, out _)));
        }

        progress.WriteLine($"exported the tree heads the sites countersigned: {held.Count} heads from {files.Centres.Count} sites");
        var verifier = new LogVerifier(files.Root, files.Revocation);
        var result = verifier.Verify(lines, held);
        var lastRound = lines.FindLastIndex(l => LogLine.Decode(l, out _).Kind == LogEntryKind.RoundOpened);
        var cut = verifier.Verify(lines.Take(lastRound).ToList(), held);
        var cutCheck = cut.Failure is { } f
            ? $"the log cut before its last round (entry {lastRound}) is refused: {f.What}: {f.Why}"
            : "the log cut before its last round was NOT detected";
        var s = result.Summary;
        var verdict = new FederationDemoVerdict(result.Ok, result.Failure?.ToString(), lines.Count, s.TreeHeads, s.Countersignatures, s.HeldHeadsChecked, s.LastHeadSize, [.. s.LastHeadWitnesses], cutCheck, s.Privacy is null ? null : s.PrivacyStatement);
        return (verdict, s.Rounds.LastOrDefault(r => r.Metrics.ContainsKey("auc")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"round (\d+) phase (AdvertisingKeys|CollectingInputs)")]
    private static partial Regex RoundOpened();

    [GeneratedRegex(@"final model ([0-9a-f]{64})")]
    private static partial Regex FinalModel();
}
