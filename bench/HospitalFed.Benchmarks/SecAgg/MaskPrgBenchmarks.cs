using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// Mask expansion against raw AES-128-ECB of the same number of bytes, in the same run
/// (issue 4: expansion must reach 50% of raw ECB throughput, i.e. a time ratio of at most 2).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
[MinColumn]
[MedianColumn]
public class MaskPrgBenchmarks
{
    private const int Words = 1 << 20; // 4 MiB of keystream

    private readonly uint[] _target = new uint[Words];
    private readonly byte[] _plain = new byte[Words * 4];
    private readonly byte[] _cipher = new byte[Words * 4];
    private Aes _aes = null!;
    private MaskPrg _prg = null!;

    [GlobalSetup]
    public void Setup()
    {
        var seed = RandomNumberGenerator.GetBytes(MaskPrg.SeedSize);
        _aes = Aes.Create();
        _aes.Key = seed[..16];
        _prg = new MaskPrg(seed);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aes.Dispose();
        _prg.Dispose();
    }

    /// <summary>Raw BCL AES-128-ECB over 4 MiB: the ceiling.</summary>
    [Benchmark(Baseline = true)]
    public int RawAes128Ecb() => _aes.EncryptEcb(_plain, _cipher, PaddingMode.None);

    /// <summary>Expanding 1 Mi words of mask into a buffer.</summary>
    [Benchmark]
    public uint MaskGenerate()
    {
        _prg.Generate(0, _target);
        return _target[^1];
    }

    /// <summary>Expanding 1 Mi words of mask and adding them into a vector (what masking does).</summary>
    [Benchmark]
    public uint MaskAddInto()
    {
        _prg.AddTo(0, _target);
        return MemoryMarshal.GetReference(_target.AsSpan());
    }
}
