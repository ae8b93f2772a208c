namespace HospitalFed.Aggregator.Orchestration;

/// <summary>
/// Where the orchestrator keeps each completed round's decoded sum, named by the digest its
/// Aggregate log entry carries (whatever the protection: unmasked words, ciphertexts or the clear sum), so a restarted aggregator can rebuild the
/// global model and the server optimiser's state by replaying completed rounds. It holds sums the
/// aggregator learns anyway, never an individual site's update.
/// </summary>
public interface IAggregateArchive
{
    /// <summary>Stores <paramref name="sum"/> under <paramref name="digest"/> durably before the round's Aggregate entry is logged.</summary>
    /// <param name="digest">The digest (lower-case hex SHA-256) the round's Aggregate entry logs.</param>
    /// <param name="sum">The round's decoded sum, exactly as the job applied it.</param>
    void Keep(string digest, ReadOnlySpan<double> sum);

    /// <summary>Reads the sum stored under <paramref name="digest"/>.</summary>
    /// <param name="digest">The digest the round's Aggregate entry logs.</param>
    /// <param name="length">The number of values the round's update vector has.</param>
    /// <exception cref="InvalidDataException">The sum is missing, was altered (its checksum fails) or has another length.</exception>
    double[] Read(string digest, int length);
}
