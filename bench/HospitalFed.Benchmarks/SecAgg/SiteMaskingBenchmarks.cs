using BenchmarkDotNet.Attributes;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// A site masking d = 1M coordinates with n = 10 (quantisation, stochastic rounding, 1 + 9 PRG
/// expansions, chunk messages) against ten bare PRG expansions of d words in the same run
/// (issue 4: at most 2x).
/// </summary>
public class SiteMaskingBenchmarks : SecAggRoundBenchmarks
{
    protected override int Sites => 10;

    [IterationSetup(Target = nameof(SiteMasksOneUpdate))]
    public void PrepareMasking() => PrepareRound(round => round.ToReadyToMask());

    /// <summary>One site's full MaskedInput stage.</summary>
    [Benchmark]
    public long SiteMasksOneUpdate() => MaskedWords(Round, site: 0);
}
