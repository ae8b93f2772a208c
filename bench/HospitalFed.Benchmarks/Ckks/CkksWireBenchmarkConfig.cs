namespace HospitalFed.Benchmarks.Ckks;

/// <summary>The CKKS short job plus the per-site wire bytes column.</summary>
public sealed class CkksWireBenchmarkConfig : BenchmarkDotNet.Configs.ManualConfig
{
    /// <summary>Creates the config.</summary>
    public CkksWireBenchmarkConfig()
    {
        Add(new CkksBenchmarkConfig());
        AddColumn(new WireBytesColumn());
    }
}
