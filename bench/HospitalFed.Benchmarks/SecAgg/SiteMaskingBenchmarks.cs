using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// A site masking d = 1M coordinates with n = 10 (quantisation, stochastic rounding, 1 + 9 PRG
/// expansions, chunk messages) against ten bare PRG expansions of d words in the same run
/// (issue 4: at most 2x).
/// </summary>
[Config(typeof(SingleInvocationConfig))]
[MinColumn]
[MedianColumn]
public class SiteMaskingBenchmarks
{
    private const int Dimension = 1_000_000;
    private const int Sites = 10;

    private readonly uint[] _target = new uint[Dimension];
    private BenchConsortium _consortium = null!;
    private BenchRound? _round;
    private readonly MaskPrgWorkspace _workspace = new();
    private MaskPrg[] _prgs = [];

    [GlobalSetup]
    public void Setup()
    {
        _consortium = new BenchConsortium(Sites);
        _prgs = Enumerable.Range(0, Sites).Select(_ => new MaskPrg(RandomNumberGenerator.GetBytes(MaskPrg.SeedSize))).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _round?.Dispose();
        _consortium.Dispose();
        foreach (var prg in _prgs)
        {
            prg.Dispose();
        }

        _workspace.Dispose();
    }

    [IterationSetup(Target = nameof(SiteMasksOneUpdate))]
    public void PrepareRound()
    {
        _round?.Dispose();
        _round = new BenchRound(_consortium, Sites, Dimension);
        _round.ToReadyToMask();
        Quiesce();
    }

    // The setup allocates a whole round's messages: collect them now, not during the measurement.
    private static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Ten PRG expansions of d words added into one vector: the floor for masking.</summary>
    [Benchmark(Baseline = true)]
    public uint TenPrgExpansions()
    {
        foreach (var prg in _prgs)
        {
            prg.AddTo(0, _target, _workspace);
        }

        return _target[0];
    }

    /// <summary>One site's full MaskedInput stage.</summary>
    [Benchmark]
    public long SiteMasksOneUpdate()
    {
        long bytes = 0;
        foreach (var chunk in _round!.Sites[0].MaskInput(_round.Input))
        {
            bytes += chunk.Words.Length;
        }

        return bytes;
    }
}
