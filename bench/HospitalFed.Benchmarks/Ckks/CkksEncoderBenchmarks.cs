using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks.Internal;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>
/// CKKS encoding and decoding at the default preset (N = 4096, two 50-bit primes, scale 2^88,
/// complex packing): the scalar path (the fallback where no vector unit is accelerated, and the
/// pre-vector code's algorithm) as each category's baseline beside the widest vector path, for
/// one polynomial (4096 values), for 10^6 values (245 polynomials) and for the special FFT alone.
/// </summary>
[Config(typeof(CkksEncoderBenchmarkConfig))]
public class CkksEncoderBenchmarks
{
    private const int MillionPolynomials = 245; // ceil(10^6 / 4096)
    private CkksContext _context = null!;
    private CkksEncoder _scalar = null!;
    private CkksEncoder _vector = null!;
    private double[] _values = null!;
    private long[] _noise = null!;
    private ulong[] _residues = null!;
    private double[] _decoded = null!;
    private double[] _re = null!;
    private double[] _im = null!;

    /// <summary>Encoders of both widths, random values in [-1, 1) and small noise.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _context = new CkksContext(CkksPresets.Aggregation);
        _scalar = new CkksEncoder(_context, SimdWidth.Scalar);
        _vector = new CkksEncoder(_context, SimdSupport.Best);
        var random = new Random(1);
        var n = _context.N;
        _values = [.. Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2) - 1)];
        _noise = [.. Enumerable.Range(0, n).Select(_ => (long)random.Next(-20, 21))];
        _residues = new ulong[_context.CiphertextPrimeCount * n];
        _decoded = new double[n];
        _scalar.Encode(_values, _noise, _residues, 0);
        _re = [.. _values.Take(n / 2)];
        _im = [.. _values.Skip(n / 2)];
    }

    /// <summary>Encode one polynomial, scalar.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Encode polynomial")]
    public void EncodeScalar() => _scalar.Encode(_values, _noise, _residues, 0);

    /// <summary>Encode one polynomial, widest vectors.</summary>
    [Benchmark, BenchmarkCategory("Encode polynomial")]
    public void EncodeVector() => _vector.Encode(_values, _noise, _residues, 0);

    /// <summary>Decode one polynomial, scalar.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Decode polynomial")]
    public void DecodeScalar() => _scalar.Decode(_residues, _decoded);

    /// <summary>Decode one polynomial, widest vectors.</summary>
    [Benchmark, BenchmarkCategory("Decode polynomial")]
    public void DecodeVector() => _vector.Decode(_residues, _decoded);

    /// <summary>Encode 10^6 values, scalar.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Encode 10^6 values")]
    public void EncodeMillionScalar() => EncodeMillion(_scalar);

    /// <summary>Encode 10^6 values, widest vectors.</summary>
    [Benchmark, BenchmarkCategory("Encode 10^6 values")]
    public void EncodeMillionVector() => EncodeMillion(_vector);

    /// <summary>Decode 10^6 values, scalar.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Decode 10^6 values")]
    public void DecodeMillionScalar() => DecodeMillion(_scalar);

    /// <summary>Decode 10^6 values, widest vectors.</summary>
    [Benchmark, BenchmarkCategory("Decode 10^6 values")]
    public void DecodeMillionVector() => DecodeMillion(_vector);

    /// <summary>Inverse then forward special FFT (2048 slots), scalar; the round trip keeps the input bounded.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("FFT inverse + forward")]
    public void FftScalar()
    {
        _context.Fft.Inverse(_re, _im, SimdWidth.Scalar);
        _context.Fft.Forward(_re, _im, SimdWidth.Scalar);
    }

    /// <summary>Inverse then forward special FFT, widest vectors.</summary>
    [Benchmark, BenchmarkCategory("FFT inverse + forward")]
    public void FftVector()
    {
        _context.Fft.Inverse(_re, _im, SimdSupport.Best);
        _context.Fft.Forward(_re, _im, SimdSupport.Best);
    }

    private void EncodeMillion(CkksEncoder encoder)
    {
        for (var p = 0; p < MillionPolynomials; p++)
        {
            encoder.Encode(_values, _noise, _residues, p * _values.Length);
        }
    }

    private void DecodeMillion(CkksEncoder encoder)
    {
        for (var p = 0; p < MillionPolynomials; p++)
        {
            encoder.Decode(_residues, _decoded);
        }
    }

}
