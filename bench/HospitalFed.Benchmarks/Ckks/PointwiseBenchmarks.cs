using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>
/// The pointwise kernels of encryption and decryption (x * w + c with w's Shoup factors, and the
/// modular addition) per path, over the presets' residue layout: two 50-bit primes, N = 4096.
/// </summary>
[ShortRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class PointwiseBenchmarks
{
    private const int N = 4096;
    private Modulus[] _moduli = null!;
    private ulong[] _x = null!;
    private ulong[] _w = null!;
    private ulong[] _wShoup = null!;
    private ulong[] _c = null!;

    /// <summary>Random residues and Shoup factors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _moduli = [.. PrimeGenerator.NttPrimes(50, 2, N).Select(q => new Modulus(q))];
        var random = new Random(1);
        ulong[] Residues() => [.. Enumerable.Range(0, 2 * N).Select(j => (ulong)random.NextInt64((long)_moduli[j / N].Value))];
        _x = Residues();
        _w = Residues();
        _c = Residues();
        _wShoup = new ulong[2 * N];
        PolyArithmetic.ShoupFactors(_w, _wShoup, _moduli, N);
    }

    /// <summary>c = x * w + c, scalar.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("x*w+c")]
    public void MultiplyShoupAddScalar() => PolyArithmetic.MultiplyShoupAdd(_x, _w, _wShoup, _c, _c, _moduli, N, SimdWidth.Scalar);

    /// <summary>c = x * w + c, AVX2.</summary>
    [Benchmark]
    [BenchmarkCategory("x*w+c")]
    public void MultiplyShoupAddVector256() => PolyArithmetic.MultiplyShoupAdd(_x, _w, _wShoup, _c, _c, _moduli, N, SimdWidth.Vector256);

    /// <summary>c = x * w + c, AVX-512.</summary>
    [Benchmark]
    [BenchmarkCategory("x*w+c")]
    public void MultiplyShoupAddVector512() => PolyArithmetic.MultiplyShoupAdd(_x, _w, _wShoup, _c, _c, _moduli, N, SimdWidth.Vector512);

    /// <summary>
    /// c = x * w + c with Barrett reduction and no precomputed factor (what a decryption share
    /// does with the secret key today): the scalar-only kernel beside the Shoup one, for scale.
    /// </summary>
    [Benchmark]
    [BenchmarkCategory("x*w+c")]
    public void MultiplyAddBarrettScalar() => PolyArithmetic.MultiplyAdd(_x, _w, _c, _c, _moduli, N);

    /// <summary>c = x + c, scalar.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("x+c")]
    public void AddScalar() => AddBlocks(SimdWidth.Scalar);

    /// <summary>c = x + c, AVX2.</summary>
    [Benchmark]
    [BenchmarkCategory("x+c")]
    public void AddVector256() => AddBlocks(SimdWidth.Vector256);

    /// <summary>c = x + c, AVX-512.</summary>
    [Benchmark]
    [BenchmarkCategory("x+c")]
    public void AddVector512() => AddBlocks(SimdWidth.Vector512);

    private void AddBlocks(SimdWidth width)
    {
        for (var i = 0; i < _moduli.Length; i++)
        {
            PolyArithmetic.Add(_x.AsSpan(i * N, N), _c.AsSpan(i * N, N), _c.AsSpan(i * N, N), _moduli[i].Value, width);
        }
    }
}
