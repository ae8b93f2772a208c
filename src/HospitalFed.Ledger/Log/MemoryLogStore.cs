namespace HospitalFed.Ledger.Log;

/// <summary>An <see cref="ILogStore"/> in memory, for tests, simulations and building a log to export.</summary>
public sealed class MemoryLogStore : ILogStore
{
    private readonly List<byte[]> _lines = [];

    /// <inheritdoc />
    public long Count => _lines.Count;

    /// <inheritdoc />
    public void Append(long index, byte[] line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (index != _lines.Count)
        {
            throw new InvalidOperationException($"append at index {index}, but the log holds {_lines.Count} entries");
        }

        _lines.Add(line);
    }

    /// <inheritdoc />
    public byte[] Read(long index) => _lines[checked((int)index)];

    /// <inheritdoc />
    public IEnumerable<byte[]> ReadAll() => _lines;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
