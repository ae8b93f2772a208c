namespace HospitalFed.Ledger.Log;

/// <summary>Append-only storage of a round log's lines (see <see cref="LogLine"/>), one store per plan.</summary>
public interface ILogStore : IDisposable
{
    /// <summary>The number of entries stored.</summary>
    long Count { get; }

    /// <summary>Stores <paramref name="line"/> at <paramref name="index"/>, which must equal <see cref="Count"/>.</summary>
    void Append(long index, byte[] line);

    /// <summary>Reads the line at <paramref name="index"/> (below <see cref="Count"/>).</summary>
    byte[] Read(long index);

    /// <summary>Reads every line in index order.</summary>
    IEnumerable<byte[]> ReadAll();
}
