using HospitalFed.Transport.Blobs;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>
/// A blob store for the large-payload test: uploads are counted and discarded, downloads are generated
/// on the fly, and the heap is sampled every MiB (and collected every 32 MiB) from the server's side.
/// </summary>
internal sealed class MeasuringSinkStore(HeapProbe probe, long downloadLength) : IBlobStore
{
    private const long SampleEvery = 1024 * 1024;
    private const long CollectEvery = 32 * 1024 * 1024;

    private readonly HeapProbe _probe = probe;

    public long Committed { get; private set; }

    public ValueTask<IBlobWriter> CreateAsync(string blobId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IBlobWriter>(new Writer(this));

    public ValueTask<Stream?> OpenReadAsync(string blobId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream?>(new SampledStream(GeneratedStream.Pseudorandom(downloadLength), _probe));

    private static void Sample(HeapProbe probe, long before, long after)
    {
        if (before / SampleEvery != after / SampleEvery)
        {
            probe.SampleUncollected();
        }

        if (before / CollectEvery != after / CollectEvery)
        {
            probe.SampleLive();
        }
    }

    private sealed class Writer(MeasuringSinkStore store) : IBlobWriter
    {
        private long _written;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var before = _written;
            _written += data.Length;
            Sample(store._probe, before, _written);
            return ValueTask.CompletedTask;
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            store.Committed = _written;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class SampledStream(GeneratedStream inner, HeapProbe probe) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var before = inner.Position;
            var read = inner.Read(buffer);
            Sample(probe, before, inner.Position);
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
