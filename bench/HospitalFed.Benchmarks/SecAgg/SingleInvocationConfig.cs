using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// One invocation per iteration for every benchmark of a class, so that a benchmark whose
/// state must be rebuilt by [IterationSetup] (a session consumes its secrets) and its baseline
/// run in the same job and BenchmarkDotNet reports their ratio. Tiered compilation is off:
/// a method run once per iteration would otherwise be timed partly as tier-0 code while the
/// baseline, run many times, is already optimised.
/// </summary>
internal sealed class SingleInvocationConfig : ManualConfig
{
    public SingleInvocationConfig() =>
        AddJob(Job.Default
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithInvocationCount(1).WithUnrollFactor(1)
            .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TieredCompilation", "0")));
}
