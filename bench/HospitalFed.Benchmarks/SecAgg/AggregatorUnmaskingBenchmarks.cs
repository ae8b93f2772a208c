using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// The aggregator's Finish (Shamir reconstruction, mask-key checks, removing every mask from the
/// d-word sum) for d = 1M, n = 10 with 0 or 2 dropouts, against ten bare PRG expansions of d
/// words in the same run (issue 4: at most 4x with 2 dropouts).
/// </summary>
[Config(typeof(SingleInvocationConfig))]
[MinColumn]
[MedianColumn]
public class AggregatorUnmaskingBenchmarks
{
    private const int Dimension = 1_000_000;
    private const int Sites = 10;

    private readonly uint[] _target = new uint[Dimension];
    private BenchConsortium _consortium = null!;
    private BenchRound? _round;
    private readonly MaskPrgWorkspace _workspace = new();
    private MaskPrg[] _prgs = [];

    /// <summary>Sites that drop after ShareKeys (their pairwise masks must be rebuilt and removed).</summary>
    [Params(0, 2)]
    public int Dropouts { get; set; }

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

    [IterationSetup(Target = nameof(AggregatorUnmasks))]
    public void PrepareRound()
    {
        _round?.Dispose();
        _round = new BenchRound(_consortium, Sites, Dimension);
        _round.ToFinish(Dropouts);
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

    /// <summary>Reconstruct and unmask.</summary>
    [Benchmark]
    public int AggregatorUnmasks() => _round!.Aggregator.Finish().Contributors.Count;
}
