using System.Collections.Concurrent;
using HospitalFed.Transport.Blobs;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>Small blobs in memory, for tests that check what was (or was not) committed.</summary>
internal sealed class MemoryBlobStore : IBlobStore
{
    public ConcurrentDictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    public ValueTask<IBlobWriter> CreateAsync(string blobId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IBlobWriter>(new Writer(this, blobId));

    public ValueTask<Stream?> OpenReadAsync(string blobId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream?>(Blobs.TryGetValue(blobId, out var bytes) ? new MemoryStream(bytes, writable: false) : null);

    private sealed class Writer(MemoryBlobStore store, string blobId) : IBlobWriter
    {
        private readonly MemoryStream _buffer = new();

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => _buffer.WriteAsync(data, cancellationToken);

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            store.Blobs[blobId] = _buffer.ToArray();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => _buffer.DisposeAsync();
    }
}
