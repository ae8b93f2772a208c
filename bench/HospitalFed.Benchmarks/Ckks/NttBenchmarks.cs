using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Benchmarks.Ckks;

/// <summary>One negacyclic NTT of N = 8192 modulo a 60-bit prime, forward and inverse, plus AES-CTR expansion of the same bytes as a machine yardstick.</summary>
[ShortRunJob]
public class NttBenchmarks
{
    private const int N = 8192;
    private NttTables _tables = null!;
    private ulong[] _values = null!;
    private byte[] _bytes = null!;
    private System.Security.Cryptography.Aes _aes = null!;

    /// <summary>Tables and random input.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _tables = new NttTables(new Modulus(PrimeGenerator.NttPrimes(60, 1, N)[0]), N);
        var random = new Random(1);
        _values = [.. Enumerable.Range(0, N).Select(_ => (ulong)random.NextInt64((long)_tables.Modulus.Value))];
        _bytes = new byte[N * 8];
        _aes = System.Security.Cryptography.Aes.Create();
    }

    /// <summary>Disposes the AES instance.</summary>
    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    /// <summary>AES-128-ECB over 64 KiB (the bytes one polynomial of random words takes).</summary>
    [Benchmark(Baseline = true)]
    public void AesYardstick() => _aes.EncryptEcb(_bytes, _bytes, System.Security.Cryptography.PaddingMode.None);

    /// <summary>Forward then inverse NTT (the round trip keeps the input valid).</summary>
    [Benchmark]
    public void ForwardInverse()
    {
        Ntt.Forward(_values, _tables);
        Ntt.Inverse(_values, _tables);
    }
}
