using HospitalFed.Learning.Data;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Site.Hosting;

/// <summary>Loads a site's extract under its schema's <c>badRows</c> policy and logs what was skipped (counts only, never values).</summary>
internal static partial class SiteExtracts
{
    /// <exception cref="ExtractFormatException">A row is malformed and the schema's <c>badRows</c> is <c>"fail"</c>.</exception>
    public static ExtractTable Load(string path, ExtractSchema schema, ILogger logger)
    {
        var table = ExtractLoader.LoadFile(path, schema, schema.BadRows);
        if (table.Report.RowsRejected > 0)
        {
            BadRowsSkipped(logger, table.Report.Source, table.Report.RowsRejected, table.Rows);
        }

        return table;
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Extract {Source}: {Rejected} bad rows skipped (schema badRows: skip), {Kept} rows kept; run hfed site check to list them")]
    private static partial void BadRowsSkipped(ILogger logger, string source, int rejected, int kept);
}
