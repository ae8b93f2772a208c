using Microsoft.Data.Sqlite;

namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// Reads the aggregator's round log database (the table <c>SqliteLogStore</c> writes) strictly
/// read-only: the dashboard never creates, locks for writing or migrates the aggregator's file.
/// A database that does not exist yet reads as empty (the aggregator has not started a plan).
/// </summary>
internal sealed class RoundLogReader(string path)
{
    public string Path { get; } = path;

    /// <summary>Every plan with a log, in the database's order.</summary>
    public IReadOnlyList<string> Plans()
    {
        var plans = new List<string>();
        Query("SELECT DISTINCT plan_id FROM log_entries ORDER BY plan_id", null, 0, reader => plans.Add(reader.GetString(0)));
        return plans;
    }

    /// <summary>The lines of <paramref name="planId"/> from index <paramref name="from"/> on, in order.</summary>
    public IReadOnlyList<byte[]> Lines(string planId, long from)
    {
        var lines = new List<byte[]>();
        Query("SELECT line FROM log_entries WHERE plan_id = $plan AND idx >= $from ORDER BY idx", planId, from, reader => lines.Add((byte[])reader.GetValue(0)));
        return lines;
    }

    private void Query(string sql, string? planId, long from, Action<SqliteDataReader> row)
    {
        if (!File.Exists(Path))
        {
            return;
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (planId is not null)
        {
            command.Parameters.AddWithValue("$plan", planId);
            command.Parameters.AddWithValue("$from", from);
        }

        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                row(reader);
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1 && ex.Message.Contains("no such table", StringComparison.Ordinal))
        {
            // the aggregator created the file but no log yet
        }
    }
}
