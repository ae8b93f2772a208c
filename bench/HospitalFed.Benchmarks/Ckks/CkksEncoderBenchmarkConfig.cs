using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>A short job (the machine is shared); ratios are per category, against that category's scalar baseline.</summary>
public sealed class CkksEncoderBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public CkksEncoderBenchmarkConfig()
    {
        AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1));
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
    }
}
