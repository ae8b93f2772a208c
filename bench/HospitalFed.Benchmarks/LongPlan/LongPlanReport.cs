using System.Globalization;
using HospitalFed.Benchmarks.Federation;

namespace HospitalFed.Benchmarks.LongPlan;

/// <summary>The long-plan benchmark's Markdown tables.</summary>
internal static class LongPlanReport
{
    private const int Window = 10;

    /// <summary>
    /// Median round time over the <see cref="Window"/> training rounds up to rounds 10, 100, 500
    /// and 1,000 (those the plan has), each as a ratio to the window at round 10.
    /// </summary>
    public static void WriteRoundTimes(TextWriter output, IReadOnlyList<RoundMeasure> rounds)
    {
        var training = rounds.Where(r => r.Round >= 3).ToList(); // round 1 is statistics, round 2 the warm-up
        var last = training.Max(r => r.Round);
        var marks = new long[] { 10, 100, 500, 1000 }.Where(m => m < last).Append(last).Distinct().ToList();
        output.WriteLine("| rounds | median round | CPU per round | allocated per round | ratio to round 10 |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        double? baseline = null;
        foreach (var mark in marks)
        {
            var window = training.Where(r => r.Round > mark - Window && r.Round <= mark).ToList();
            var median = Median(window.Select(r => r.Seconds));
            baseline ??= median;
            output.WriteLine(F($"| {window.Min(r => r.Round)}-{mark} | {median * 1000:F1} ms | {Median(window.Select(r => r.CpuSeconds)) * 1000:F1} ms | {Median(window.Select(r => (double)r.Allocated)) / 1e6:F2} MB | {median / baseline.Value:F2}x |"));
        }

        output.WriteLine(F($"Whole plan: {rounds.Sum(r => r.Seconds):F1} s for {rounds.Count} rounds."));
    }

    /// <summary>The log's total and per-round bytes, and one late round's entries by kind.</summary>
    public static void WriteLogSize(TextWriter output, LongPlanLogSize size)
    {
        var rounds = size.Rounds;
        var training = rounds.Where(r => r.Round >= 2).ToList();
        output.WriteLine(F($"Round log: {size.TotalBytes:N0} bytes in {size.TotalEntries:N0} entries; a training round writes {Median(training.Select(r => (double)r.Bytes)):N0} bytes (median; {training.Min(r => r.Bytes):N0} - {training.Max(r => r.Bytes):N0}) in {Median(training.Select(r => (double)r.Entries)):F0} entries."));
        var sample = training.Count > 1 ? training[^2] : rounds[^1]; // the last round closes with the plan's final entries
        output.WriteLine();
        output.WriteLine(F($"Entries of round {sample.Round}:"));
        output.WriteLine();
        output.WriteLine("| kind | entries | bytes | bytes per entry |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (var (kind, (count, bytes)) in sample.Kinds)
        {
            output.WriteLine(F($"| {kind} | {count} | {bytes:N0} | {bytes / count:N0} |"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
