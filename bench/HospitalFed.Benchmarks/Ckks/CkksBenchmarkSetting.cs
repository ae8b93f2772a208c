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

    /// <summary>The default preset compressed and uncompressed, for the wire benchmarks (filtered by HFED_CKKS_SETTINGS when it names either).</summary>
    public static IEnumerable<string> WireSelected
    {
        get
        {
            string[] wire = ["preset-aggregation", "preset-aggregation-uncompressed"];
            var chosen = Environment.GetEnvironmentVariable("HFED_CKKS_SETTINGS") is { Length: > 0 } ? Selected.Intersect(wire).ToArray() : [];
            return chosen.Length > 0 ? chosen : wire;
        }
    }

    /// <summary>Builds the context for <paramref name="name"/>.</summary>
    public static CkksContext Create(string name) => name switch
    {
        // The TenSEAL/SEAL setting: N = 8192, {60, 40, 40, 60}, scale 2^40, last prime key-only.
        "seal-8192-60-40-40-60" => new CkksContext(CkksParameters.Create(8192, [60, 40, 40, 60], System.Math.Pow(2, 40), specialPrimeCount: 1)),
        "preset-aggregation" => new CkksContext(CkksPresets.Aggregation),
        // The default preset with compression off: the baseline the compact wire form is measured against.
        "preset-aggregation-uncompressed" => new CkksContext(Uncompressed(CkksPresets.Aggregation)),
        "preset-small" => new CkksContext(CkksPresets.SmallModel),
        "preset-large" => new CkksContext(CkksPresets.LargeModel),
        _ => throw new ArgumentException($"unknown setting '{name}'", nameof(name)),
    };

    private static CkksParameters Uncompressed(CkksParameters p) =>
        new(p.RingDegree, p.CoefficientModuli, p.Scale, p.Width, p.Packing, p.SpecialPrimeCount);
}
