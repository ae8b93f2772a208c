using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>
/// One negacyclic NTT per path (scalar baseline, AVX2, AVX-512), forward and inverse separately, at
/// the presets' size (N = 4096, 50-bit prime) and the SEAL setting's (N = 8192, 60-bit prime), plus
/// AES-128-ECB over the same bytes as a machine yardstick. A path the machine lacks fails its row
/// with NotSupportedException.
/// </summary>
[ShortRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class NttBenchmarks
{
    private NttTables _tables = null!;
    private ulong[] _values = null!;
    private byte[] _bytes = null!;
    private System.Security.Cryptography.Aes _aes = null!;

    /// <summary>Ring degree and prime size.</summary>
    [Params("N=4096 q=50-bit", "N=8192 q=60-bit")]
    public string Setting { get; set; } = "N=4096 q=50-bit";

    /// <summary>Tables and random input in [0, q) (every transform maps [0, q) to itself, so the buffer stays valid).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var n = Setting.StartsWith("N=4096", StringComparison.Ordinal) ? 4096 : 8192;
        var bits = n == 4096 ? 50 : 60;
        _tables = new NttTables(new Modulus(PrimeGenerator.NttPrimes(bits, 1, n)[0]), n);
        var random = new Random(1);
        _values = [.. Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64((long)_tables.Modulus.Value))];
        _bytes = new byte[n * 8];
        _aes = System.Security.Cryptography.Aes.Create();
    }

    /// <summary>Disposes the AES instance.</summary>
    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    /// <summary>Forward, portable scalar code.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Forward")]
    public void ForwardScalar() => Ntt.Forward(_values, _tables, SimdWidth.Scalar);

    /// <summary>Forward, AVX2.</summary>
    [Benchmark]
    [BenchmarkCategory("Forward")]
    public void ForwardVector256() => Ntt.Forward(_values, _tables, SimdWidth.Vector256);

    /// <summary>Forward, AVX-512.</summary>
    [Benchmark]
    [BenchmarkCategory("Forward")]
    public void ForwardVector512() => Ntt.Forward(_values, _tables, SimdWidth.Vector512);

    /// <summary>Inverse, portable scalar code.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Inverse")]
    public void InverseScalar() => Ntt.Inverse(_values, _tables, SimdWidth.Scalar);

    /// <summary>Inverse, AVX2.</summary>
    [Benchmark]
    [BenchmarkCategory("Inverse")]
    public void InverseVector256() => Ntt.Inverse(_values, _tables, SimdWidth.Vector256);

    /// <summary>Inverse, AVX-512.</summary>
    [Benchmark]
    [BenchmarkCategory("Inverse")]
    public void InverseVector512() => Ntt.Inverse(_values, _tables, SimdWidth.Vector512);

    /// <summary>AES-128-ECB over the bytes one polynomial of random words takes.</summary>
    [Benchmark]
    [BenchmarkCategory("Yardstick")]
    public void AesYardstick() => _aes.EncryptEcb(_bytes, _bytes, System.Security.Cryptography.PaddingMode.None);
}
