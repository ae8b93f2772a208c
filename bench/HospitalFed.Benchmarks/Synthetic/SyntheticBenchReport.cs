using System.Globalization;
using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Benchmarks.Synthetic;

/// <summary>The synthetic benchmark's Markdown tables.</summary>
internal static class SyntheticBenchReport
{
    /// <summary>Each site's split and prevalence: the label skew the federation has to cope with.</summary>
    public static void WriteCohort(TextWriter output, SyntheticCohort cohort)
    {
        output.WriteLine("| site | train rows | test rows | prevalence |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (var site in cohort.Sites)
        {
            output.WriteLine(F($"| {site.Name} | {site.TrainRows:N0} | {site.TestRows:N0} | {site.Prevalence * 100:F1}% |"));
        }
    }

    /// <summary>The verdict table, then how the reference converged and what the services reported.</summary>
    public static void WriteResult(TextWriter output, SyntheticBenchResult result)
    {
        var settings = result.Settings;
        output.WriteLine("| rows | sites | protection | rounds | federated AUC | pooled AUC | difference | bar | result | wall time |");
        output.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---|---:|");
        output.WriteLine(F($"| {settings.Cohort.Rows:N0} | {result.Cohort.Sites.Count} | {settings.Protection} | {settings.Rounds} | {result.FederatedAuc:F4} | {result.Reference.TestAuc:F4} | {-result.Gap:+0.0000;-0.0000;0.0000} | {SyntheticBenchSettings.Bar:F3} | {(result.Passed ? "PASS" : "FAIL")} | {result.Outcome.WallTime.TotalSeconds:F1} s |"));
        output.WriteLine();
        var fit = result.Reference.Fit;
        output.WriteLine(F($"Pooled reference: L-BFGS on {result.Cohort.Sites.Sum(s => s.TrainRows):N0} standardised training rows, {fit.Iterations} iterations, largest gradient coordinate {fit.GradientNorm:E1} ({(fit.Converged ? "converged" : "NOT converged")}), {result.ReferenceTime.TotalSeconds:F1} s."));
        output.WriteLine(F($"Securely pooled feature statistics vs exact: largest relative difference {result.StatisticsDeviation:E1} (means and standard deviations)."));
        if (result.Outcome.History.LastOrDefault(r => r.Metrics.ContainsKey("auc")) is { } last)
        {
            output.WriteLine(F($"Services' histogram AUC in round {last.Round} (the model it started from): {last.Metrics["auc"]:F4} +- {last.Metrics["auc_error_bound"]:F4}."));
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
