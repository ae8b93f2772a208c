namespace HospitalFed.Benchmarks.LongPlan;

/// <summary>The entries one round wrote to the log: count and bytes (with the newline) per kind.</summary>
internal sealed class LongPlanRoundEntries(long round)
{
    private readonly SortedDictionary<string, (int Count, long Bytes)> _kinds = new(StringComparer.Ordinal);

    public long Round { get; } = round;

    public long Bytes { get; private set; }

    public int Entries { get; private set; }

    public IReadOnlyDictionary<string, (int Count, long Bytes)> Kinds => _kinds;

    public void Add(string kind, long bytes)
    {
        _kinds[kind] = _kinds.TryGetValue(kind, out var sum) ? (sum.Count + 1, sum.Bytes + bytes) : (1, bytes);
        Bytes += bytes;
        Entries++;
    }
}
