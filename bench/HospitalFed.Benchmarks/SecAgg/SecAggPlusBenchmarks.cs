using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// n = 50 sites with SecAgg+ (k = 10 neighbours, t = 8) against the complete graph, d = 1M:
/// a site's masking and the aggregator's unmasking with 2 dropouts, beside ten bare PRG
/// expansions of d words in the same run.
/// </summary>
[Config(typeof(SingleInvocationConfig))]
[MinColumn]
[MedianColumn]
public class SecAggPlusBenchmarks
{
    private const int Dimension = 1_000_000;
    private const int Sites = 50;

    private readonly uint[] _target = new uint[Dimension];
    private BenchConsortium _consortium = null!;
    private BenchRound? _round;
    private readonly MaskPrgWorkspace _workspace = new();
    private MaskPrg[] _prgs = [];

    /// <summary>k: 10 for SecAgg+, 0 for the complete graph of the original protocol.</summary>
    [Params(10, 0)]
    public int Neighbours { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _consortium = new BenchConsortium(Sites);
        _prgs = Enumerable.Range(0, 10).Select(_ => new MaskPrg(RandomNumberGenerator.GetBytes(MaskPrg.SeedSize))).ToArray();
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
    public void PrepareMasking()
    {
        _round?.Dispose();
        _round = new BenchRound(_consortium, Sites, Dimension, Neighbours);
        _round.ToReadyToMask();
        Quiesce();
    }

    [IterationSetup(Target = nameof(AggregatorUnmasksTwoDropouts))]
    public void PrepareUnmasking()
    {
        _round?.Dispose();
        _round = new BenchRound(_consortium, Sites, Dimension, Neighbours);
        _round.ToFinish(dropouts: 2);
        Quiesce();
    }

    // The setup allocates a whole round's messages: collect them now, not during the measurement.
    private static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Ten PRG expansions of d words added into one vector.</summary>
    [Benchmark(Baseline = true)]
    public uint TenPrgExpansions()
    {
        foreach (var prg in _prgs)
        {
            prg.AddTo(0, _target, _workspace);
        }

        return _target[0];
    }

    /// <summary>One site's MaskedInput stage.</summary>
    [Benchmark]
    public long SiteMasksOneUpdate()
    {
        long bytes = 0;
        foreach (var chunk in _round!.Sites[^1].MaskInput(_round.Input))
        {
            bytes += chunk.Words.Length;
        }

        return bytes;
    }

    /// <summary>The aggregator's Finish with 2 sites dropped after ShareKeys.</summary>
    [Benchmark]
    public int AggregatorUnmasksTwoDropouts() => _round!.Aggregator.Finish().Contributors.Count;
}
