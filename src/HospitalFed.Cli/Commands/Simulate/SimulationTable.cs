using System.Globalization;
using HospitalFed.Learning.Simulation;
using Spectre.Console;

namespace HospitalFed.Cli.Commands.Simulate;

/// <summary>The results table of <c>hfed simulate</c>: pooled accuracy and AUC, an optional published column, per-site accuracy.</summary>
internal static class SimulationTable
{
    /// <summary>Writes the table and a line describing the settings.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="title">The table title (dataset and model).</param>
    /// <param name="report">The results.</param>
    /// <param name="settings">The settings the report was produced with.</param>
    /// <param name="published">Published accuracies by method to show beside ours, or null for no such column.</param>
    public static void Render(IAnsiConsole console, string title, SimulationReport report, SimulationSettings settings, IReadOnlyDictionary<string, double>? published)
    {
        var table = new Table().Border(TableBorder.Simple)
            .Title($"{title}, accuracy at 0.5 (mean of {settings.Seeds.Count} seed(s))")
            .Caption($"Acc and AUC: the {report.TestRows.Sum()} pooled test rows; {(published is null ? "" : "FLamby: published accuracy; ")}per-site columns: accuracy on that site's {string.Join("/", report.TestRows)} test rows.");
        table.AddColumn("Method");
        table.AddColumn(new TableColumn("Acc").RightAligned());
        if (published is not null)
        {
            table.AddColumn(new TableColumn("FLamby").RightAligned());
        }

        table.AddColumn(new TableColumn("AUC").RightAligned());
        foreach (var name in report.Centres)
        {
            table.AddColumn(new TableColumn(Markup.Escape(name[..Math.Min(published is null ? 6 : 4, name.Length)])).RightAligned());
        }

        table.AddColumn(new TableColumn("Mean").RightAligned());
        foreach (var column in table.Columns)
        {
            column.Padding(0, 0, 1, 0).NoWrap();
        }

        foreach (var result in report.Results)
        {
            var cells = new List<string> { Markup.Escape(result.Method), F(result.PooledAccuracy) };
            if (published is not null)
            {
                cells.Add(published.TryGetValue(result.Method, out var value) ? F(value) : "");
            }

            cells.Add(F(result.PooledAuc));
            cells.AddRange(result.CentreAccuracy.Select(F));
            cells.Add(F(result.MeanCentreAccuracy));
            table.AddRow([.. cells]);
        }

        console.Write(table);
        console.WriteLine(Describe(settings));
    }

    /// <summary>One line naming the settings, e.g. "Federated: 50 rounds, adam lr 0.01 cosine to 0.1x, ...".</summary>
    public static string Describe(SimulationSettings settings)
    {
        var local = settings.Local;
        var c = settings.Centralised;
        var strategies = string.Join(", ", settings.Strategies.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Kind} (server lr {s.ServerLearningRate}{(s.Kind == Learning.Configuration.StrategyKind.FedProx ? $", mu {s.ProximalMu}" : "")})")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Federated: {settings.Rounds} rounds; local {Local(local)}. Strategies: {strategies}. Centralised: {Local(c)}.");
    }

    /// <summary>Local training options in words, e.g. "sgd lr 0.05 cosine to 0.1x, batch 64, up to 1 epoch(s), ...".</summary>
    internal static string Local(Learning.Optimization.TrainingOptions o) => string.Create(
        CultureInfo.InvariantCulture,
        $"{o.Optimizer.ToString().ToLowerInvariant()} lr {o.LearningRate}{(o.Schedule == Learning.Optimization.LearningRateSchedule.Cosine ? $" cosine to {o.FinalLearningRateFraction}x" : " constant")}, batch {o.BatchSize}, " +
        $"{(o.LocalSteps is { } steps ? $"{steps} steps" : $"up to {o.Epochs} epoch(s)")}" +
        $"{(o.ValidationFraction > 0 ? $", early stopping on {o.ValidationFraction:P0} validation (patience {o.Patience})" : "")}, L2 {o.L2}");

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
