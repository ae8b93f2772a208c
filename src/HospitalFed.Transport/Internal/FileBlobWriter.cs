using HospitalFed.Transport.Blobs;

namespace HospitalFed.Transport.Internal;

/// <summary>Writes a blob to its temporary file; commit renames it into place, dispose without commit deletes it.</summary>
internal sealed class FileBlobWriter(FileStream stream, string partialPath, string finalPath) : IBlobWriter
{
    private bool _committed;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => stream.WriteAsync(data, cancellationToken);

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
        File.Move(partialPath, finalPath, overwrite: true);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync().ConfigureAwait(false);
        if (!_committed)
        {
            File.Delete(partialPath);
        }
    }
}
