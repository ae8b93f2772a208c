using HospitalFed.Aggregator.Persistence;
using HospitalFed.Benchmarks.Federation;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Benchmarks.Synthetic;

/// <summary>
/// Runs the synthetic cohort's plan through <see cref="LoopbackRun"/> (the real aggregator and one
/// real site runtime per hospital, mutual TLS on loopback) and reads the final global model back
/// from the aggregator's model store, where the services wrote it.
/// </summary>
internal static class SyntheticBenchRun
{
    /// <summary>Runs the plan and returns the final model, the aggregator's round records and the wall time from the aggregator's start to the plan's end.</summary>
    /// <exception cref="InvalidOperationException">The plan did not complete (the message says why).</exception>
    public static async Task<SyntheticBenchOutcome> RunAsync(SyntheticCohort cohort, SyntheticBenchSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("hfed-synthetic-bench-");
        try
        {
            using var files = SyntheticBenchFiles.Create(directory.FullName, cohort, settings, LoopbackRun.FreePort());
            var parameterCount = new FeaturePipeline(cohort.Schema).FeatureCount + 1;
            SyntheticBenchOutcome? outcome = null;
            var started = time.GetTimestamp();
            await LoopbackRun.RunAsync(
                files,
                new RoundTimeline(new WireMeter(), time),
                configure: null,
                completed: aggregator =>
                {
                    var (parameters, statistics) = new ModelStore(files.Aggregator.Models).Read(aggregator.FinalModelDigest!, parameterCount);
                    outcome = new SyntheticBenchOutcome(parameters, FeatureStatistics.ReadFrom(statistics), [.. aggregator.Orchestrator.History], time.GetElapsedTime(started));
                    return Task.CompletedTask;
                },
                settings.Timeout,
                cancellationToken).ConfigureAwait(false);
            return outcome!;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
