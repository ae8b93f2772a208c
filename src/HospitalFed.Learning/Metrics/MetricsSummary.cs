using System.Globalization;
using System.Text;

namespace HospitalFed.Learning.Metrics;

/// <summary>
/// One line naming the headline pooled metrics of a <see cref="BinaryEvaluationSums.Report"/>, for
/// consoles and reports: AUC with its error bound, balanced accuracy, Brier, ECE, log loss and the
/// test rows, each only when present.
/// </summary>
public static class MetricsSummary
{
    /// <summary>
    /// Formats <paramref name="metrics"/>, e.g. <c>AUC 0.8412 +/- 0.0003, balanced accuracy 0.7710,
    /// Brier 0.1620, ECE 0.0410, log loss 0.4930 (180 test rows)</c>; empty when none is present.
    /// </summary>
    public static string Format(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var parts = new List<string>();
        if (metrics.TryGetValue("auc", out var auc))
        {
            parts.Add(metrics.TryGetValue("auc_error_bound", out var bound) ? $"AUC {F(auc)} +/- {F(bound)}" : $"AUC {F(auc)}");
        }

        Add(parts, metrics, "balanced_accuracy", "balanced accuracy");
        Add(parts, metrics, "brier", "Brier");
        Add(parts, metrics, "ece", "ECE");
        Add(parts, metrics, "log_loss", "log loss");
        var text = new StringBuilder(string.Join(", ", parts));
        if (metrics.TryGetValue("test_rows", out var rows))
        {
            text.Append(CultureInfo.InvariantCulture, $" ({rows:0} test rows)");
        }

        return text.ToString().TrimStart();
    }

    private static void Add(List<string> parts, IReadOnlyDictionary<string, double> metrics, string key, string label)
    {
        if (metrics.TryGetValue(key, out var value))
        {
            parts.Add($"{label} {F(value)}");
        }
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
