namespace HospitalFed.Transport.Blobs;

/// <summary>A blob being written. Dispose without <see cref="CommitAsync"/> to discard it.</summary>
public interface IBlobWriter : IAsyncDisposable
{
    /// <summary>Appends bytes; <paramref name="data"/> may be reused by the caller once the call completes.</summary>
    /// <param name="data">The next bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Completes when the bytes are accepted.</returns>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Makes the blob visible; called only after its length and digest were verified.</summary>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <returns>Completes when the blob is durable.</returns>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
