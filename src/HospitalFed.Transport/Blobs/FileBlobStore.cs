using HospitalFed.Transport.Internal;

namespace HospitalFed.Transport.Blobs;

/// <summary>
/// Keeps blobs as files in one directory. A blob is written to a temporary file and renamed into place
/// on commit, so a reader never sees a partial or unverified blob.
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    private const string PartialSuffix = ".partial";

    /// <summary>Uses <paramref name="directory"/>, creating it if needed.</summary>
    /// <param name="directory">Where blob files live.</param>
    public FileBlobStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
    }

    /// <summary>The directory holding the blobs.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public ValueTask<IBlobWriter> CreateAsync(string blobId, CancellationToken cancellationToken)
    {
        var final = PathOf(blobId);
        var partial = final + "." + Guid.NewGuid().ToString("N") + PartialSuffix;
        var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        return ValueTask.FromResult<IBlobWriter>(new FileBlobWriter(stream, partial, final));
    }

    /// <inheritdoc />
    public ValueTask<Stream?> OpenReadAsync(string blobId, CancellationToken cancellationToken)
    {
        var path = PathOf(blobId);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : null;
        return ValueTask.FromResult(stream);
    }

    private string PathOf(string blobId)
    {
        if (!BlobId.IsValid(blobId))
        {
            throw new ArgumentException($"Blob id '{blobId}' is invalid.", nameof(blobId));
        }

        return Path.Combine(Directory, blobId);
    }
}
