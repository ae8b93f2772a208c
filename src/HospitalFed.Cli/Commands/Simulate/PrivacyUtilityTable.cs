using System.Globalization;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Simulation;
using Spectre.Console;

namespace HospitalFed.Cli.Commands.Simulate;

/// <summary>The results table of <c>hfed simulate dp</c>: per epsilon, the noise, the spent budget and the test accuracy and AUC over seeds.</summary>
internal static class PrivacyUtilityTable
{
    /// <summary>Writes the table and lines describing the data and the settings.</summary>
    public static void Render(IAnsiConsole console, string title, IReadOnlyList<CentreData> centres, IReadOnlyList<PrivacyUtilityRow> rows, PrivacyUtilitySettings settings)
    {
        var seeds = settings.Simulation.Seeds.Count;
        var testRows = centres.Sum(c => c.Test.Rows);
        var table = new Table().Border(TableBorder.Simple)
            .Title(Markup.Escape($"{title}, {centres.Count} sites: FedAvg of logistic regression under differential privacy (mean and sd of {seeds} seed(s))"))
            .Caption(Markup.Escape($"Acc (at 0.5) and AUC on the {testRows} test rows of all sites pooled; z: noise multiplier; spent: epsilon the rounds spent at delta {F(settings.Delta, "0.###e0")}. no DP: plain FedAvg (pooled statistics, sample-weighted); no noise: the private pipeline without noise (public statistics, clipped deltas, unweighted mean)."));
        table.AddColumn("epsilon");
        table.AddColumn("run");
        foreach (var heading in new[] { "z", "spent", "Acc", "sd", "AUC", "sd" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        foreach (var column in table.Columns)
        {
            column.Padding(0, 0, 1, 0).NoWrap();
        }

        foreach (var row in rows)
        {
            table.AddRow(
                double.IsPositiveInfinity(row.Epsilon) ? "inf" : F(row.Epsilon, "G4"),
                Markup.Escape(Describe(row.Kind)),
                row.NoiseMultiplier is { } z ? F(z, "F2") : "",
                row.SpentEpsilon is { } spent ? F(spent, "F3") : "",
                F(row.Result.PooledAccuracy, "F3"),
                F(row.AccuracySpread, "F3"),
                F(row.Result.PooledAuc, "F3"),
                F(row.AucSpread, "F3"));
        }

        console.Write(table);
        console.WriteLine(Invariant($"Sites (train/test rows): {string.Join(", ", centres.Select(c => $"{c.Name} {c.Train.Rows}/{c.Test.Rows}"))}."));
        console.WriteLine(Invariant($"Private runs: plan of {settings.Simulation.Rounds + 1} rounds (round 1: public statistics from the schema's declared ranges, no spend; {settings.Simulation.Rounds} training rounds), clip norm {settings.ClipNorm}, minContributors {centres.Count} (every site), noise calibrated to the budget, cryptographic noise; each round: unweighted deltas encoded, summed mod 2^32, decoded, global += sum / {centres.Count}."));
        console.WriteLine($"Every run: {settings.Simulation.Rounds} training rounds, FedAvg (server lr 1); local {SimulationTable.Local(settings.Simulation.Local)}.");
    }

    private static string Describe(string kind) => kind switch
    {
        PrivacyUtilityRow.Private => "private",
        PrivacyUtilityRow.PlainFedAvg => "no DP",
        PrivacyUtilityRow.WithoutNoise => "no noise",
        _ => kind,
    };

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
