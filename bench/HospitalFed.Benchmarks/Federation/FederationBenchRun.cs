using System.Net;
using System.Net.Sockets;
using HospitalFed.Aggregator.Hosting;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Site.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>
/// Runs one approved plan end to end, as deployed: the real <see cref="AggregatorRuntime"/>
/// (Kestrel, HTTP/2, mutual TLS, SQLite round log) on 127.0.0.1 and one real
/// <see cref="SiteRuntime"/> per site (its own channel, certificate and extract), all in this
/// process. Only the plan's protection differs between runs.
/// </summary>
internal static class FederationBenchRun
{
    /// <summary>Runs the plan with <paramref name="protection"/> and returns its rounds.</summary>
    /// <param name="settings">The plan's shape.</param>
    /// <param name="protection">The plan's protection.</param>
    /// <param name="completed">Called with the aggregator once the plan completed, before its files are deleted (null: nothing).</param>
    /// <param name="cancellationToken">Stops the plan.</param>
    /// <exception cref="InvalidOperationException">The plan did not complete (the message says why).</exception>
    public static async Task<IReadOnlyList<RoundMeasure>> RunAsync(FederationBenchSettings settings, string protection, Func<AggregatorRuntime, Task>? completed, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("hfed-federation-bench-");
        try
        {
            using var files = new FederationBenchFiles(directory.FullName, settings, protection, FreePort());
            var meter = new WireMeter();
            var timeline = new RoundTimeline(meter, TimeProvider.System);
            // HFED_BENCH_LOGS=1 also prints the aggregator's and the sites' logs, to see why a run stalls.
            var verbose = Environment.GetEnvironmentVariable("HFED_BENCH_LOGS") == "1";
            using var logs = LoggerFactory.Create(b =>
            {
                b.AddProvider(timeline).SetMinimumLevel(LogLevel.Information);
                if (verbose)
                {
                    b.AddSimpleConsole(o => o.SingleLine = true);
                }
            });
            using var siteLogs = verbose ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)) : NullLoggerFactory.Instance;
            await using var aggregator = AggregatorRuntime.Create(files.Aggregator, logs);
            aggregator.ConnectionMiddleware = meter.Middleware;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(settings.Timeout);
            var serving = aggregator.RunAsync(stop.Token);
            var sites = files.Sites.Select(s => SiteRuntime.Create(files.Site(s), siteLogs)).ToList();
            try
            {
                await Task.WhenAll(sites.Select(s => Task.Run(() => s.RunAsync(stop.Token), stop.Token))).ConfigureAwait(false);
                await serving.ConfigureAwait(false);
            }
            finally
            {
                foreach (var site in sites)
                {
                    site.Dispose();
                }
            }

            if (aggregator.Orchestrator.Phase != OrchestratorPhase.Completed)
            {
                throw new InvalidOperationException($"the plan ended in phase {aggregator.Orchestrator.Phase}: {aggregator.Orchestrator.FailureReason ?? timeline.Failure ?? "no reason logged"}");
            }

            if (completed is not null)
            {
                await completed(aggregator).ConfigureAwait(false);
            }

            return RoundMeasure.From(timeline.Events, TimeProvider.System);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
