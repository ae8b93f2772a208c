using System.CommandLine;
using HospitalFed.Aggregator.Configuration;
using HospitalFed.Aggregator.Hosting;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Cli.Logging;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Metrics;
using HospitalFed.Ledger.Pki;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Cli.Commands;

/// <summary><c>hfed aggregator run</c>: the aggregator service for one approved plan.</summary>
internal static class AggregatorCommands
{
    public static Command Create()
    {
        var aggregator = new Command("aggregator", "Aggregator node: run an approved plan with the sites.");
        aggregator.Subcommands.Add(Run());
        return aggregator;
    }

    private static Command Run()
    {
        var config = new Option<string>("--config") { Description = "The aggregator's configuration file (see config/aggregator.json)", Required = true };
        var logFile = ServiceLogging.LogFileOption();
        var command = new Command("run", "Check the plan's m-of-n approvals, start the round log and serve the sites (HTTP/2, mutual TLS) until the plan ends. Runs as a Windows service as well as in a console.") { config, logFile };
        CliAction.Set(command, async (parse, output, cancellationToken) =>
        {
            using var logs = ServiceLogging.Create(parse.GetValue(logFile));
            var log = logs.CreateLogger(ServiceLogging.FailureCategory);
            // The runtime's Generic Host brings the Windows service and systemd integration (AddWindowsService, AddSystemd).
            return await ServiceLogging.LogFailureAsync(log, () => RunAggregatorAsync(parse.GetValue(config)!, logs, output, cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAggregatorAsync(string configPath, ILoggerFactory logs, TextWriter output, CancellationToken cancellationToken)
    {
        AggregatorConfig settings;
        try
        {
            settings = AggregatorConfig.Load(configPath);
        }
        catch (InvalidDataException ex)
        {
            throw new CliException(ex.Message, ExitCodes.Usage);
        }

        AggregatorRuntime runtime;
        try
        {
            runtime = AggregatorRuntime.Create(settings, logs);
        }
        catch (Exception ex) when (ex is OrchestratorException or SchemaException or InvalidOperationException or PkiException or InvalidDataException)
        {
            throw new CliException(ex.Message, ExitCodes.Failed);
        }

        await using (runtime.ConfigureAwait(false))
        {
            var orchestrator = runtime.Orchestrator;
            if (runtime.Restored is { } restored)
            {
                output.WriteLine(restored.AbortedRound is { } aborted
                    ? $"plan {runtime.Plan.Id}: resumed from {settings.Log}: {restored.CompletedRounds} completed rounds kept; round {aborted} aborted (aggregator restart); training continues from model {restored.ModelDigest[..16]} in a new round"
                    : $"plan {runtime.Plan.Id}: resumed from {settings.Log}: {restored.CompletedRounds} completed rounds kept; no round was open");
            }

            if (orchestrator.Phase == OrchestratorPhase.Completed)
            {
                await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
                output.WriteLine($"plan {runtime.Plan.Id} was already completed after {orchestrator.History.Count} rounds; nothing is run again; final model {runtime.FinalModelDigest} in {settings.Models}");
                return ExitCodes.Ok;
            }

            output.WriteLine($"plan {runtime.Plan.Id}: serving {settings.Sites.Count} sites on {settings.ListenAddress}:{settings.Port}");
            if (settings.Dashboard is { } dashboard)
            {
                var origin = dashboard.ToOptions(settings).Origin;
                output.WriteLine($"dashboard: {origin} (bound to {dashboard.BindAddress}:{dashboard.Port}, read-only); sign in with 'hfed dashboard login --url {origin} --cert ... --key ...'{(dashboard.KeepServingAfterPlan ? "; it stays up after the plan ends until Ctrl+C" : "")}");
            }

            var reported = 0;
            void Report()
            {
                if (Interlocked.Exchange(ref reported, 1) == 1)
                {
                    return;
                }

                foreach (var round in orchestrator.History)
                {
                    var metrics = MetricsSummary.Format(round.Metrics);
                    output.WriteLine($"round {round.Round}: {round.Contributors.Count} contributors, model {round.ModelDigest[..16]}{(metrics.Length == 0 ? "" : $"; the model it started from, pooled: {metrics}")}");
                }

                output.WriteLine(orchestrator.Phase == OrchestratorPhase.Completed
                    ? $"plan completed; final model {runtime.FinalModelDigest} in {settings.Models}; round log {settings.Log} ({runtime.Log.Size} entries)"
                    : $"plan failed: {orchestrator.FailureReason}");
                if (settings.Dashboard is { KeepServingAfterPlan: true })
                {
                    output.WriteLine("the dashboard stays up; Ctrl+C stops the aggregator");
                }
            }

            // With a dashboard kept up after the plan, the outcome is reported when the plan ends, not when the process is stopped.
            runtime.PlanEnded = Report;
            await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
            Report();
            return orchestrator.Phase == OrchestratorPhase.Completed ? ExitCodes.Ok : ExitCodes.Failed;
        }
    }
}
