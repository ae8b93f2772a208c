using System.Security.Cryptography.X509Certificates;
using HospitalFed.Aggregator.Hosting;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>
/// Runs one approved plan end to end through <see cref="LoopbackRun"/> (real aggregator and site
/// runtimes over mutual TLS on loopback) with its wire traffic metered. Only the plan's protection
/// differs between runs.
/// </summary>
internal static class FederationBenchRun
{
    /// <summary>Runs the plan with <paramref name="protection"/> and returns its rounds.</summary>
    /// <param name="settings">The plan's shape.</param>
    /// <param name="protection">The plan's protection.</param>
    /// <param name="dashboard">Whether the aggregator serves its dashboard, with a browser-like client (<see cref="DashboardWatcher"/>) on the live view throughout.</param>
    /// <param name="completed">Called with the aggregator once the plan completed, before its files are deleted (null: nothing).</param>
    /// <param name="cancellationToken">Stops the plan.</param>
    /// <exception cref="InvalidOperationException">The plan did not complete (the message says why).</exception>
    public static async Task<IReadOnlyList<RoundMeasure>> RunAsync(FederationBenchSettings settings, string protection, bool dashboard, Func<AggregatorRuntime, Task>? completed, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("hfed-federation-bench-");
        try
        {
            using var files = FederationBenchFiles.Create(directory.FullName, settings, protection, LoopbackRun.FreePort());
            var meter = new WireMeter();
            var timeline = new RoundTimeline(meter, TimeProvider.System);
            if (!dashboard)
            {
                await LoopbackRun.RunAsync(files, timeline, a => a.ConnectionMiddleware = meter.Middleware, completed, settings.Timeout, cancellationToken).ConfigureAwait(false);
                return RoundMeasure.From(timeline.Events, TimeProvider.System);
            }

            files.DashboardPort = LoopbackRun.FreePort();
            using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(files.Aggregator.Certificate));
            var watcher = new DashboardWatcher(files.Admin, $"https://localhost:{files.DashboardPort}", certificate);
            var watching = watcher.RunAsync(stopWatching.Token);
            try
            {
                await LoopbackRun.RunAsync(files, timeline, a => a.ConnectionMiddleware = meter.Middleware, completed, settings.Timeout, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await stopWatching.CancelAsync().ConfigureAwait(false);
                await watching.ConfigureAwait(false);
            }

            if (watcher.Events == 0)
            {
                throw new InvalidOperationException($"the dashboard's live view pushed no event to the watcher during the plan{(watcher.Problem is { } p ? $": {p}" : "")}");
            }

            Console.WriteLine($"  dashboard: the watcher received {watcher.Events} live updates ({watcher.Bytes / 1e3:F0} kB)");
            return RoundMeasure.From(timeline.Events, TimeProvider.System);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
