using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// What every d = 1M secure-aggregation round benchmark shares: a consortium of
/// <see cref="Sites"/> sites, a fresh round prepared outside the measurement, and the baseline
/// every ratio in docs/performance.md is taken against, ten bare PRG expansions of d words.
/// </summary>
[Config(typeof(SingleInvocationConfig))]
[MinColumn]
[MedianColumn]
public abstract class SecAggRoundBenchmarks
{
    /// <summary>d: coordinates per update.</summary>
    protected const int Dimension = 1_000_000;

    private const int BaselineExpansions = 10;

    private readonly uint[] _target = new uint[Dimension];
    private readonly MaskPrgWorkspace _workspace = new();
    private MaskPrg[] _prgs = [];
    private BenchConsortium _consortium = null!;

    /// <summary>n: sites in the consortium.</summary>
    protected abstract int Sites { get; }

    /// <summary>The round prepared by the last iteration setup.</summary>
    private protected BenchRound Round { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _consortium = new BenchConsortium(Sites);
        _prgs = Enumerable.Range(0, BaselineExpansions).Select(_ => new MaskPrg(RandomNumberGenerator.GetBytes(MaskPrg.SeedSize))).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Round?.Dispose();
        _consortium.Dispose();
        foreach (var prg in _prgs)
        {
            prg.Dispose();
        }

        _workspace.Dispose();
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

    /// <summary>Replaces the current round with a new one brought to the stage <paramref name="advance"/> leaves it in.</summary>
    private protected void PrepareRound(Action<BenchRound> advance, int neighbours = 0)
    {
        Round?.Dispose();
        Round = new BenchRound(_consortium, Sites, Dimension, neighbours);
        advance(Round);

        // The setup allocates a whole round's messages: collect them now, not during the measurement.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>One site's full MaskedInput stage; returns the words it produced.</summary>
    private protected static long MaskedWords(BenchRound round, int site)
    {
        long words = 0;
        foreach (var chunk in round.Sites[site].MaskInput(round.Input))
        {
            words += chunk.Words.Length;
        }

        return words;
    }
}
