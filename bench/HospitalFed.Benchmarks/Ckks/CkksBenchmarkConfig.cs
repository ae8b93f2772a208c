using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>A short job (the machine is shared) plus the per-million-parameters column.</summary>
public sealed class CkksBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public CkksBenchmarkConfig()
    {
        AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1));
        AddColumn(new MsPerMillionColumn(), new BytesPerParameterColumn());
    }
}
