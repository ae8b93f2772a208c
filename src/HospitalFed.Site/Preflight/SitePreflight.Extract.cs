using HospitalFed.Learning.Data;
using HospitalFed.Site.Configuration;

namespace HospitalFed.Site.Preflight;

/// <summary>The extract item: every bad row of both extracts in one run, redacted.</summary>
public static partial class SitePreflight
{
    private static PreflightItem ExtractCheck(SiteConfig config, CancellationToken cancellationToken)
    {
        ExtractTable? train = null, test = null;
        var item = Check("extract", () =>
        {
            // Always load with Reject so that one run lists every bad row, whatever the schema's policy.
            var schema = ExtractSchema.Load(config.Schema);
            train = ExtractLoader.LoadFile(config.Train, schema, BadRowPolicy.Reject, cancellationToken);
            test = ExtractLoader.LoadFile(config.Test, schema, BadRowPolicy.Reject, cancellationToken);
            var bad = train.Report.RowsRejected + test.Report.RowsRejected;
            if (bad > 0)
            {
                var rows = bad == 1 ? "1 bad row" : $"{bad} bad rows";
                return schema.BadRows == BadRowPolicy.Reject
                    ? (Verdict.Warn, $"{rows} skipped (schema badRows: skip); the site trains on {train.Rows} training and {test.Rows} test rows")
                    : (Verdict.Fail, $"{rows} (schema badRows: fail, so the site would refuse to start); fix them, or set \"badRows\": \"skip\" in the schema to train without them");
            }

            return train.Rows == 0
                ? (Verdict.Fail, $"{config.Train} has no rows")
                : (Verdict.Pass, $"{train.Rows} training and {test.Rows} test rows match the schema");
        });

        return train is null || test is null ? item : item with { Lines = [.. BadRowLines(train.Report), .. BadRowLines(test.Report)] };
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
