namespace HospitalFed.Aggregator.Orchestration;

/// <summary>
/// Where the orchestrator keeps each completed round's unmasked sum, content-addressed by the
/// SHA-256 digest its Aggregate log entry carries, so a restarted aggregator can rebuild the
/// global model and the server optimiser's state by replaying completed rounds. It holds sums the
/// aggregator learns anyway, never an individual site's update.
/// </summary>
public interface IAggregateArchive
{
    /// <summary>Stores <paramref name="sum"/> under <paramref name="digest"/> durably before the round's Aggregate entry is logged.</summary>
    /// <param name="digest">SHA-256 (lower-case hex) of the sum's little-endian bytes.</param>
    /// <param name="sum">The unmasked sum in Z_2^32.</param>
    void Keep(string digest, ReadOnlySpan<uint> sum);

    /// <summary>Reads the sum stored under <paramref name="digest"/>.</summary>
    /// <param name="digest">SHA-256 (lower-case hex) of the sum's little-endian bytes.</param>
    /// <param name="words">The number of words the round's quantisation plan expects.</param>
    /// <exception cref="InvalidDataException">The sum is missing, was altered (no longer hashes to its name) or has another length.</exception>
    uint[] Read(string digest, int words);
}
