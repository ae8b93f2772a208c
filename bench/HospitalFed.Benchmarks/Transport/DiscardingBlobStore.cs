using HospitalFed.Transport.Blobs;

namespace HospitalFed.Benchmarks.Transport;

/// <summary>Uploads are discarded and downloads of <c>generated-N</c> are N zero bytes, so only the transport is measured.</summary>
internal sealed class DiscardingBlobStore : IBlobStore
{
    public ValueTask<IBlobWriter> CreateAsync(string blobId, CancellationToken cancellationToken) => ValueTask.FromResult<IBlobWriter>(new Writer());

    public ValueTask<Stream?> OpenReadAsync(string blobId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream?>(GeneratedStream.Zeros(long.Parse(blobId["generated-".Length..], System.Globalization.CultureInfo.InvariantCulture)));

    private sealed class Writer : IBlobWriter
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
