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
/// process. <c>HFED_BENCH_LOGS=1</c> also prints the aggregator's and the sites' logs, to see why a run stalls.
/// </summary>
internal static class LoopbackRun
{
    /// <summary>Runs <paramref name="files"/>' plan to its end and returns the final model's digest in the aggregator's model store.</summary>
    /// <param name="files">The consortium, plan and extracts.</param>
    /// <param name="timeline">Receives the aggregator's logs: where each round's time goes, and why a plan failed.</param>
    /// <param name="configure">Adjusts the aggregator before it starts (e.g. connection middleware), or null.</param>
    /// <param name="completed">Called with the aggregator once the plan completed, before it stops (null: nothing).</param>
    /// <param name="timeout">The longest the plan may run.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="InvalidOperationException">The plan did not complete (the message says why).</exception>
    public static async Task<string> RunAsync(LoopbackConsortium files, RoundTimeline timeline, Action<AggregatorRuntime>? configure, Func<AggregatorRuntime, Task>? completed, TimeSpan timeout, CancellationToken cancellationToken)
    {
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
        configure?.Invoke(aggregator);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(timeout);
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

        if (aggregator.Orchestrator.Phase != OrchestratorPhase.Completed || aggregator.FinalModelDigest is not { } digest)
        {
            throw new InvalidOperationException($"the plan ended in phase {aggregator.Orchestrator.Phase}: {aggregator.Orchestrator.FailureReason ?? timeline.Failure ?? "no reason logged"}");
        }

        if (completed is not null)
        {
            await completed(aggregator).ConfigureAwait(false);
        }

        return digest;
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
