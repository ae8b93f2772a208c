using BenchmarkDotNet.Attributes;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// n = 50 sites with SecAgg+ (k = 10 neighbours, t = 8) against the complete graph, d = 1M:
/// a site's masking and the aggregator's unmasking with 2 dropouts, beside ten bare PRG
/// expansions of d words in the same run.
/// </summary>
public class SecAggPlusBenchmarks : SecAggRoundBenchmarks
{
    /// <summary>k: 10 for SecAgg+, 0 for the complete graph of the original protocol.</summary>
    [Params(10, 0)]
    public int Neighbours { get; set; }

    protected override int Sites => 50;

    [IterationSetup(Target = nameof(SiteMasksOneUpdate))]
    public void PrepareMasking() => PrepareRound(round => round.ToReadyToMask(), Neighbours);

    [IterationSetup(Target = nameof(AggregatorUnmasksTwoDropouts))]
    public void PrepareUnmasking() => PrepareRound(round => round.ToFinish(dropouts: 2), Neighbours);

    /// <summary>One site's MaskedInput stage.</summary>
    [Benchmark]
    public long SiteMasksOneUpdate() => MaskedWords(Round, site: Sites - 1);

    /// <summary>The aggregator's Finish with 2 sites dropped after ShareKeys.</summary>
    [Benchmark]
    public int AggregatorUnmasksTwoDropouts() => Round.Aggregator.Finish().Contributors.Count;
}
