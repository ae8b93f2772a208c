using System.Text;
using BenchmarkDotNet.Attributes;
using HospitalFed.Learning.Data;

namespace HospitalFed.Benchmarks.Learning;

/// <summary>
/// Parsing a 14-column heart-disease-shaped extract (about 32 MB in memory) against its schema.
/// Baseline: reading the same bytes and finding every line end, the floor for any line-based
/// parser. Reported per row (OperationsPerInvoke = rows); MB/s = bytes per row / Mean.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ExtractLoadingBenchmarks
{
    private const int Rows = 500_000;
    private const string Line = "63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n";

    private byte[] _bytes = null!;
    private ExtractSchema _schema = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Line, Rows)));
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "samples", "heart-disease", "heart-disease.schema.json")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new DirectoryNotFoundException("samples/heart-disease not found above the benchmark.");
        }

        _schema = ExtractSchema.Load(Path.Combine(directory, "samples", "heart-disease", "heart-disease.schema.json"));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public int FindLineEnds()
    {
        using var stream = new MemoryStream(_bytes, writable: false);
        var buffer = new byte[64 * 1024];
        var lines = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public int LoadAgainstSchema()
    {
        using var stream = new MemoryStream(_bytes, writable: false);
        return ExtractLoader.Load(stream, "bench.csv", _schema).Rows;
    }
}
