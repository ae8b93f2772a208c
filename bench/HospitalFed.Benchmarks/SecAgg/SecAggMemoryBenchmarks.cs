using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace HospitalFed.Benchmarks.SecAgg;

/// <summary>
/// A whole round with d = 100M coordinates and n = 3 sites in one process, every masked input
/// streamed chunk by chunk into the aggregator. The update (400 MB of floats, shared by the
/// three simulated sites) and the aggregator's d-word sum (400 MB) are the only d-sized
/// buffers; nothing is n x d. MemoryDiagnoser reports allocation; the peak working set and
/// managed heap are printed at the end (look for "secagg-memory").
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class SecAggMemoryBenchmarks
{
    private const int Dimension = 100_000_000;
    private const int Sites = 3;

    private BenchConsortium _consortium = null!;
    private BenchRound? _round;
    private long _peakManaged;

    /// <summary>Words per masked-input chunk: 64 Ki (256 KiB, the default, on the large-object heap) or 16 Ki (64 KiB, below it).</summary>
    [Params(65536, 16384)]
    public int ChunkWords { get; set; }

    [GlobalSetup]
    public void Setup() => _consortium = new BenchConsortium(Sites);

    [IterationSetup]
    public void PrepareRound()
    {
        _round?.Dispose();
        _round = null;
        GC.Collect();
        _round = new BenchRound(_consortium, Sites, Dimension, chunkWords: ChunkWords);
    }

    /// <summary>AdvertiseKeys through Finish for 3 sites and 100M coordinates.</summary>
    [Benchmark]
    public int FullRound100MCoordinates()
    {
        _round!.ToFinish(dropouts: 0);
        var contributors = _round.Aggregator.Finish().Contributors.Count;
        _peakManaged = Math.Max(_peakManaged, GC.GetGCMemoryInfo().HeapSizeBytes);
        return contributors;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _round?.Dispose();
        _consortium.Dispose();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"// secagg-memory: d = {Dimension:N0}, n = {Sites}, chunk = {ChunkWords} words: peak working set {process.PeakWorkingSet64 / (1024 * 1024):N0} MiB, " +
            $"largest managed heap after a round {_peakManaged / (1024 * 1024):N0} MiB, one d-word vector = {Dimension * 4L / (1024 * 1024):N0} MiB");
    }
}
