using BenchmarkDotNet.Attributes;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// The aggregator's Finish (Shamir reconstruction, mask-key checks, removing every mask from the
/// d-word sum) for d = 1M, n = 10 with 0 or 2 dropouts, against ten bare PRG expansions of d
/// words in the same run (issue 4: at most 4x with 2 dropouts).
/// </summary>
public class AggregatorUnmaskingBenchmarks : SecAggRoundBenchmarks
{
    /// <summary>Sites that drop after ShareKeys (their pairwise masks must be rebuilt and removed).</summary>
    [Params(0, 2)]
    public int Dropouts { get; set; }

    protected override int Sites => 10;

    [IterationSetup(Target = nameof(AggregatorUnmasks))]
    public void PrepareUnmasking() => PrepareRound(round => round.ToFinish(Dropouts));

    /// <summary>Reconstruct and unmask.</summary>
    [Benchmark]
    public int AggregatorUnmasks() => Round.Aggregator.Finish().Contributors.Count;
}
