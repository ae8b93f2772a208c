using Microsoft.Data.Sqlite;

namespace HospitalFed.Ledger.Log;

/// <summary>
/// An <see cref="ILogStore"/> in a SQLite database in WAL mode (readers never block the
/// appender) with synchronous=FULL, so an acknowledged append survives a power cut. One
/// database may hold the logs of many plans; each store instance serves one plan.
/// </summary>
public sealed class SqliteLogStore : ILogStore
{
    private readonly SqliteConnection _connection;
    private readonly string _planId;
    private long _count;

    private SqliteLogStore(SqliteConnection connection, string planId, long count)
    {
        _connection = connection;
        _planId = planId;
        _count = count;
    }

    /// <summary>Opens (creating if needed) the log of <paramref name="planId"/> in the database at <paramref name="path"/>.</summary>
    public static SqliteLogStore Open(string path, string planId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(planId);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    PRAGMA journal_mode=WAL;
                    PRAGMA synchronous=FULL;
                    CREATE TABLE IF NOT EXISTS log_entries (
                        plan_id TEXT NOT NULL,
                        idx INTEGER NOT NULL,
                        line BLOB NOT NULL,
                        PRIMARY KEY (plan_id, idx)
                    ) WITHOUT ROWID;
                    """;
                command.ExecuteNonQuery();
            }

            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM log_entries WHERE plan_id = $plan";
            count.Parameters.AddWithValue("$plan", planId);
            return new SqliteLogStore(connection, planId, (long)count.ExecuteScalar()!);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The ids of every plan with a log in the database at <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> Plans(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT plan_id FROM log_entries ORDER BY plan_id";
        using var reader = command.ExecuteReader();
        var plans = new List<string>();
        while (reader.Read())
        {
            plans.Add(reader.GetString(0));
        }

        return plans;
    }

    /// <inheritdoc />
    public long Count => _count;

    /// <inheritdoc />
    public void Append(long index, byte[] line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (index != _count)
        {
            throw new InvalidOperationException($"append at index {index}, but the log holds {_count} entries");
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO log_entries (plan_id, idx, line) VALUES ($plan, $idx, $line)";
        command.Parameters.AddWithValue("$plan", _planId);
        command.Parameters.AddWithValue("$idx", index);
        command.Parameters.AddWithValue("$line", line);
        command.ExecuteNonQuery(); // the primary key refuses a second writer at the same index
        _count++;
    }

    /// <inheritdoc />
    public byte[] Read(long index)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT line FROM log_entries WHERE plan_id = $plan AND idx = $idx";
        command.Parameters.AddWithValue("$plan", _planId);
        command.Parameters.AddWithValue("$idx", index);
        return command.ExecuteScalar() as byte[] ?? throw new ArgumentOutOfRangeException(nameof(index), index, $"no entry {index} in the log of plan {_planId}");
    }

    /// <inheritdoc />
    public IEnumerable<byte[]> ReadAll()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT line FROM log_entries WHERE plan_id = $plan ORDER BY idx";
        command.Parameters.AddWithValue("$plan", _planId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (byte[])reader.GetValue(0);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
