using HospitalFed.Learning.Data;
using HospitalFed.Site.Configuration;

namespace HospitalFed.Site.Preflight;

/// <summary>The extract item: every bad row of both extracts in one run, redacted.</summary>
public static partial class SitePreflight
{
    private static PreflightItem ExtractCheck(SiteConfig config, CancellationToken cancellationToken) =>
        CheckExtracts(config.Schema, config.Train, config.Test, cancellationToken);

    /// <summary>
    /// The extract item alone (<c>hfed site check --schema --train --test</c>): both extracts against
    /// the schema, every bad row listed in <see cref="PreflightItem.Lines"/> (at most
    /// <see cref="BadRowsListed"/> per file, then a count; file, line, column and reason, never the value).
    /// A data steward can run it before the site is enrolled.
    /// </summary>
    /// <param name="schemaPath">The extract schema.</param>
    /// <param name="trainPath">The training extract.</param>
    /// <param name="testPath">The test extract, or null to check the training extract only.</param>
    /// <param name="cancellationToken">Stops a long load.</param>
    public static PreflightItem CheckExtracts(string schemaPath, string trainPath, string? testPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schemaPath);
        ArgumentNullException.ThrowIfNull(trainPath);
        ExtractTable? train = null, test = null;
        var item = Check("extract", () =>
        {
            // Always load with Reject so that one run lists every bad row, whatever the schema's policy.
            var schema = ExtractSchema.Load(schemaPath);
            train = ExtractLoader.LoadFile(trainPath, schema, BadRowPolicy.Reject, cancellationToken);
            test = testPath is null ? null : ExtractLoader.LoadFile(testPath, schema, BadRowPolicy.Reject, cancellationToken);
            var bad = train.Report.RowsRejected + (test?.Report.RowsRejected ?? 0);
            var rows = test is null ? $"{train.Rows} training rows" : $"{train.Rows} training and {test.Rows} test rows";
            if (bad > 0)
            {
                var count = bad == 1 ? "1 bad row" : $"{bad} bad rows";
                return schema.BadRows == BadRowPolicy.Reject
                    ? (Verdict.Warn, $"{count} skipped (schema badRows: skip); the site trains on {rows}")
                    : (Verdict.Fail, $"{count} (schema badRows: fail, so the site would refuse to start); fix them, or set \"badRows\": \"skip\" in the schema to train without them");
            }

            return train.Rows == 0
                ? (Verdict.Fail, $"{trainPath} has no rows")
                : (Verdict.Pass, $"{rows} match the schema");
        });

        return train is null ? item : item with { Lines = [.. BadRowLines(train.Report), .. test is null ? [] : BadRowLines(test.Report)] };
    }

    /// <summary>File, line, character column, schema column and reason of each bad row; never the value (a report may be pasted into a ticket).</summary>
    private static IEnumerable<string> BadRowLines(IngestionReport report)
    {
        foreach (var error in report.Errors.Take(BadRowsListed))
        {
            yield return error.ToRedactedString();
        }

        var rest = report.RowsRejected - Math.Min(report.Errors.Count, BadRowsListed);
        if (rest > 0)
        {
            yield return $"{report.Source}: {rest} more bad {(rest == 1 ? "row" : "rows")} not listed";
        }
    }
}
