using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>The parameter sets the CKKS benchmarks run at.</summary>
public static class CkksBenchmarkSetting
{
    /// <summary>Names accepted by <see cref="Create"/>.</summary>
    public static readonly string[] Names = ["seal-8192-60-40-40-60", "preset-aggregation", "preset-small", "preset-large"];

    /// <summary>The settings named in the HFED_CKKS_SETTINGS environment variable (comma-separated), or all.</summary>
    public static IEnumerable<string> Selected =>
        Environment.GetEnvironmentVariable("HFED_CKKS_SETTINGS") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : Names;

    /// <summary>Builds the context for <paramref name="name"/>.</summary>
    public static CkksContext Create(string name) => name switch
    {
        // The TenSEAL/SEAL setting: N = 8192, {60, 40, 40, 60}, scale 2^40, last prime key-only.
        "seal-8192-60-40-40-60" => new CkksContext(CkksParameters.Create(8192, [60, 40, 40, 60], System.Math.Pow(2, 40), specialPrimeCount: 1)),
        "preset-aggregation" => new CkksContext(CkksPresets.Aggregation),
        "preset-small" => new CkksContext(CkksPresets.SmallModel),
        "preset-large" => new CkksContext(CkksPresets.LargeModel),
        _ => throw new ArgumentException($"unknown setting '{name}'", nameof(name)),
    };
}
