using System.Globalization;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>Prints the benchmark's tables as Markdown (pasted as is into docs/performance.md).</summary>
internal static class FederationBenchReport
{
    private const string Plaintext = "none";

    public static void Write(TextWriter output, FederationBenchSettings settings, IReadOnlyDictionary<string, List<RoundMeasure>> measured, IReadOnlyDictionary<string, string> unavailable)
    {
        var baseline = measured.TryGetValue(Plaintext, out var plain) && Training(plain).Count > 0 ? Median(Training(plain).Select(r => r.Seconds)) : (double?)null;
        output.WriteLine("| protection | training round, median (min - max) | ratio to plaintext | first training round | statistics round | to aggregator / round | from aggregator / round | process CPU / round | GC pause / round | allocated / round |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (protection, rounds) in measured)
        {
            var training = Training(rounds);
            if (training.Count == 0)
            {
                output.WriteLine($"| {protection} | not measured: {unavailable.GetValueOrDefault(protection, "no round completed")} | | | | | | | | |");
                continue;
            }

            var median = Median(training.Select(r => r.Seconds));
            var ratio = baseline is { } b ? F($"{median / b:F2}x") : "-";
            output.WriteLine(F($"| {protection} | {median:F3} s ({training.Min(r => r.Seconds):F3} - {training.Max(r => r.Seconds):F3}), n = {training.Count} | {ratio} | {Median(rounds.Where(r => r.Round == 2).Select(r => r.Seconds)):F3} s | {Median(rounds.Where(r => r.Round == 1).Select(r => r.Seconds)):F3} s | {Megabytes(training.Select(r => r.Received))} | {Megabytes(training.Select(r => r.Sent))} | {Median(training.Select(r => r.CpuSeconds)):F2} s | {Median(training.Select(r => r.GcPauseSeconds)):F3} s | {Megabytes(training.Select(r => r.Allocated))} |"));
        }

        output.WriteLine();
        output.WriteLine("Where a training round's time goes (medians per orchestrator phase; the first phase includes the sites' local training; CPU is the whole process, aggregator and sites):");
        output.WriteLine();
        output.WriteLine("| protection | phase | wall | share of the round | process CPU | share of the round's CPU |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var (protection, rounds) in measured)
        {
            var training = Training(rounds);
            if (training.Count == 0)
            {
                continue;
            }

            var round = Median(training.Select(r => r.Seconds));
            var cpu = Median(training.Select(r => r.CpuSeconds));
            foreach (var phase in training.SelectMany(r => r.Phases.Select(p => p.Phase)).Distinct())
            {
                var seconds = Median(training.Select(r => r.Phases.Where(p => p.Phase == phase).Sum(p => p.Seconds)));
                var cpuSeconds = Median(training.Select(r => r.Phases.Where(p => p.Phase == phase).Sum(p => p.CpuSeconds)));
                output.WriteLine(F($"| {protection} | {phase} | {seconds:F3} s | {100 * seconds / round:F0}% | {cpuSeconds:F3} s | {100 * cpuSeconds / cpu:F0}% |"));
            }
        }

        output.WriteLine();
        output.WriteLine(F($"Bytes are TCP payload at the aggregator's listener (TLS records, HTTP/2 frames, gRPC messages), summed over the {settings.Sites} connections; 1 MB = 10^6 bytes."));
    }

    /// <summary>The dashboard's cost: each protection's median training round with the dashboard served and watched, over the same without.</summary>
    public static void WriteDashboardOverhead(TextWriter output, IReadOnlyList<string> protections, IReadOnlyDictionary<string, List<RoundMeasure>> measured, string suffix)
    {
        output.WriteLine();
        output.WriteLine("| protection | training round, dashboard off | dashboard on, live view watched | ratio on / off | CPU / round off | CPU / round on |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var protection in protections)
        {
            var off = Training(measured.GetValueOrDefault(protection) ?? []);
            var on = Training(measured.GetValueOrDefault(protection + suffix) ?? []);
            if (off.Count == 0 || on.Count == 0)
            {
                output.WriteLine($"| {protection} | not measured | | | | |");
                continue;
            }

            var a = Median(off.Select(r => r.Seconds));
            var b = Median(on.Select(r => r.Seconds));
            output.WriteLine(F($"| {protection} | {a:F3} s, n = {off.Count} | {b:F3} s, n = {on.Count} | **{b / a:F3}x** ({100 * ((b / a) - 1):+0.0;-0.0}%) | {Median(off.Select(r => r.CpuSeconds)):F2} s | {Median(on.Select(r => r.CpuSeconds)):F2} s |"));
        }
    }

    /// <summary>Training rounds after the first (which pays JIT compilation and connection warm-up).</summary>
    private static List<RoundMeasure> Training(List<RoundMeasure> rounds) => [.. rounds.Where(r => r.Round >= 3)];

    private static string Megabytes(IEnumerable<long> bytes) => F($"{Median(bytes.Select(b => (double)b)) / 1e6:F1} MB");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
