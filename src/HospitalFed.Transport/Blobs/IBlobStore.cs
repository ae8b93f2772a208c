namespace HospitalFed.Transport.Blobs;

/// <summary>Where the blob transfer service keeps payloads. Implementations must stream: never buffer a whole blob.</summary>
public interface IBlobStore
{
    /// <summary>Starts writing a blob; nothing is visible until <see cref="IBlobWriter.CommitAsync"/>.</summary>
    /// <param name="blobId">A validated blob name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The writer; disposing it without committing discards what was written.</returns>
    ValueTask<IBlobWriter> CreateAsync(string blobId, CancellationToken cancellationToken);

    /// <summary>Opens a committed blob for reading.</summary>
    /// <param name="blobId">A validated blob name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The blob's bytes, or <see langword="null"/> if there is no such blob.</returns>
    ValueTask<Stream?> OpenReadAsync(string blobId, CancellationToken cancellationToken);
}
