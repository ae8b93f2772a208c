using System.Buffers;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Blobs;

/// <summary>
/// <c>hospitalfed.v1.BlobTransfer</c>: streams payloads in and out of an <see cref="IBlobStore"/> in chunks,
/// hashing as they pass, so memory is bounded by the chunk size whatever the payload size. An upload is
/// committed only if its length and SHA-256 match what the sender declared in the last chunk.
/// </summary>
public sealed class BlobTransferService : BlobTransfer.BlobTransferBase
{
    private readonly IBlobStore _store;
    private readonly int _chunkSize;

    /// <summary>Serves <paramref name="store"/>.</summary>
    /// <param name="store">Where blobs are kept.</param>
    /// <param name="chunkSize">Bytes per downloaded chunk, 1 KiB to 1 MiB. Default <see cref="VerifiedBlobClient.DefaultChunkSize"/>.</param>
    public BlobTransferService(IBlobStore store, int chunkSize = VerifiedBlobClient.DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, 1024 * 1024);
        _store = store;
        _chunkSize = chunkSize;
    }

    /// <inheritdoc />
    public override async Task<BlobReceipt> Upload(IAsyncStreamReader<BlobChunk> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        var token = context.CancellationToken;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        IBlobWriter? writer = null;
        string? blobId = null;
        ulong received = 0;
        BlobChunk? last = null;
        try
        {
            await foreach (var chunk in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                if (last is not null)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "A chunk followed the final chunk (the one carrying the digest)."));
                }

                if (writer is null)
                {
                    blobId = BlobId.Require(chunk.BlobId);
                    writer = await _store.CreateAsync(blobId, token).ConfigureAwait(false);
                }
                else if (chunk.BlobId.Length > 0 && chunk.BlobId != blobId)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "Only the first chunk may name the blob."));
                }

                if (!chunk.Data.IsEmpty)
                {
                    hash.AppendData(chunk.Data.Span);
                    await writer.WriteAsync(chunk.Data.Memory, token).ConfigureAwait(false);
                    received += (ulong)chunk.Data.Length;
                }

                if (!chunk.Sha256.IsEmpty)
                {
                    last = chunk;
                }
            }

            if (writer is null || last is null)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, writer is null
                    ? "The upload contained no chunk."
                    : "The upload ended without its final chunk carrying the SHA-256 digest; nothing was stored."));
            }

            var digest = hash.GetHashAndReset();
            if (last.TotalLength != received)
            {
                throw new RpcException(new Status(StatusCode.DataLoss, $"Received {received} bytes but the sender declared {last.TotalLength}; nothing was stored."));
            }

            if (!CryptographicOperations.FixedTimeEquals(digest, last.Sha256.Span))
            {
                throw new RpcException(new Status(StatusCode.DataLoss, "The SHA-256 of the received bytes does not match the sender's digest; nothing was stored."));
            }

            await writer.CommitAsync(token).ConfigureAwait(false);
            return new BlobReceipt { BlobId = blobId, Length = received, Sha256 = ByteString.CopyFrom(digest) };
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public override async Task Download(BlobRequest request, IServerStreamWriter<BlobChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var chunks = responseStream;
        var token = context.CancellationToken;
        var blobId = BlobId.Require(request.BlobId);
        var source = await _store.OpenReadAsync(blobId, token).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No blob named '{blobId}'."));
        await using (source.ConfigureAwait(false))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(_chunkSize);
            try
            {
                ulong total = 0;
                int read;
                while ((read = await source.ReadAtLeastAsync(buffer.AsMemory(0, _chunkSize), _chunkSize, throwOnEndOfStream: false, token).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    // Safe without a copy: the frame is serialized before WriteAsync completes and the buffer is reused only after.
                    var chunk = new BlobChunk { Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, read)) };
                    if (total == 0)
                    {
                        chunk.BlobId = blobId;
                    }

                    await chunks.WriteAsync(chunk, token).ConfigureAwait(false);
                    total += (ulong)read;
                }

                var final = new BlobChunk { Sha256 = ByteString.CopyFrom(hash.GetHashAndReset()), TotalLength = total };
                if (total == 0)
                {
                    final.BlobId = blobId;
                }

                await chunks.WriteAsync(final, token).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
