using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// One invocation per iteration for every benchmark of a class, so that a benchmark whose
/// state must be rebuilt by [IterationSetup] (a session consumes its secrets) and its baseline
/// run in the same job and BenchmarkDotNet reports their ratio.
/// </summary>
internal sealed class SingleInvocationConfig : ManualConfig
{
    public SingleInvocationConfig() =>
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(9).WithInvocationCount(1).WithUnrollFactor(1));
}
