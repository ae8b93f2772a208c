using System.Buffers;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Blobs;

/// <summary>
/// Uploads and downloads blobs over the generated <c>hospitalfed.v1.BlobTransfer</c> client (grpc-dotnet),
/// in chunks, with an end-to-end SHA-256 check; memory is bounded by the chunk size whatever the blob's
/// length. A digest or length mismatch is a <see cref="StatusCode.DataLoss"/> <see cref="RpcException"/>.
/// </summary>
public sealed class VerifiedBlobClient
{
    /// <summary>Default bytes per chunk (64 KiB): well under the 4 MiB message limit, large enough to amortise framing.</summary>
    public const int DefaultChunkSize = 64 * 1024;

    private readonly BlobTransfer.BlobTransferClient _client;
    private readonly int _chunkSize;

    /// <summary>Creates a client over <paramref name="callInvoker"/> (for a channel: <c>channel.CreateCallInvoker()</c>).</summary>
    /// <param name="callInvoker">Invokes calls on the node, e.g. of a <see cref="NodeChannel"/> channel.</param>
    /// <param name="chunkSize">Bytes per uploaded chunk, 1 KiB to 1 MiB. Default <see cref="DefaultChunkSize"/>.</param>
    public VerifiedBlobClient(CallInvoker callInvoker, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, 1024 * 1024);
        _client = new BlobTransfer.BlobTransferClient(callInvoker);
        _chunkSize = chunkSize;
    }

    /// <summary>Creates a client over <paramref name="channel"/>.</summary>
    /// <param name="channel">The channel to the node, e.g. from <see cref="NodeChannel.Create"/>.</param>
    /// <param name="chunkSize">Bytes per uploaded chunk, 1 KiB to 1 MiB. Default <see cref="DefaultChunkSize"/>.</param>
    public VerifiedBlobClient(ChannelBase channel, int chunkSize = DefaultChunkSize)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker(), chunkSize)
    {
    }

    /// <summary>Streams <paramref name="source"/> to the node as blob <paramref name="blobId"/>.</summary>
    /// <param name="blobId">The blob's name (see <see cref="BlobId"/>).</param>
    /// <param name="source">The bytes, read to their end.</param>
    /// <param name="options">Deadline, headers, cancellation.</param>
    /// <returns>The node's receipt, already checked against the local digest.</returns>
    /// <exception cref="RpcException">The upload failed; DATA_LOSS if the node received different bytes.</exception>
    public async Task<BlobReceipt> UploadAsync(string blobId, Stream source, CallOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!BlobId.IsValid(blobId))
        {
            throw new ArgumentException($"Blob id '{blobId}' is invalid: use 1 to {BlobId.MaxLength} characters of [A-Za-z0-9._-], not starting with '.'.", nameof(blobId));
        }

        using var call = _client.Upload(options);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(_chunkSize);
        byte[] digest;
        ulong total = 0;
        try
        {
            int read;
            while ((read = await source.ReadAtLeastAsync(buffer.AsMemory(0, _chunkSize), _chunkSize, throwOnEndOfStream: false, options.CancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                // Safe without a copy: grpc-dotnet serializes the message before WriteAsync completes,
                // and the buffer is reused only after that.
                var chunk = new BlobChunk { Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, read)) };
                if (total == 0)
                {
                    chunk.BlobId = blobId;
                }

                await call.RequestStream.WriteAsync(chunk, options.CancellationToken).ConfigureAwait(false);
                total += (ulong)read;
            }

            digest = hash.GetHashAndReset();
            var final = new BlobChunk { Sha256 = ByteString.CopyFrom(digest), TotalLength = total };
            if (total == 0)
            {
                final.BlobId = blobId;
            }

            await call.RequestStream.WriteAsync(final, options.CancellationToken).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException or IOException && call.ResponseAsync.IsCompleted)
        {
            // The server ended the call first: its status says why, not the failed write.
            await call.ResponseAsync.ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var receipt = await call.ResponseAsync.ConfigureAwait(false);
        if (receipt.Length != total || !CryptographicOperations.FixedTimeEquals(receipt.Sha256.Span, digest))
        {
            throw new RpcException(new Status(StatusCode.DataLoss, $"The node's receipt for '{blobId}' does not match what was sent (length or SHA-256)."));
        }

        return receipt;
    }

    /// <summary>Streams blob <paramref name="blobId"/> from the node into <paramref name="destination"/>.</summary>
    /// <param name="blobId">The blob's name.</param>
    /// <param name="destination">Receives the bytes as they arrive; discard it if this method throws.</param>
    /// <param name="options">Deadline, headers, cancellation.</param>
    /// <returns>The blob's id, length and verified SHA-256.</returns>
    /// <exception cref="RpcException">NOT_FOUND for an unknown blob; DATA_LOSS if the bytes do not match the digest.</exception>
    public async Task<BlobReceipt> DownloadAsync(string blobId, Stream destination, CallOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!BlobId.IsValid(blobId))
        {
            throw new ArgumentException($"Blob id '{blobId}' is invalid: use 1 to {BlobId.MaxLength} characters of [A-Za-z0-9._-], not starting with '.'.", nameof(blobId));
        }

        using var call = _client.Download(new BlobRequest { BlobId = blobId }, options);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ulong received = 0;
        BlobChunk? last = null;
        var first = true;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
        {
            if (last is not null)
            {
                throw DataLoss($"The node sent data for '{blobId}' after the final chunk.");
            }

            if (first && chunk.BlobId != blobId)
            {
                throw DataLoss($"The node answered with blob '{chunk.BlobId}' instead of '{blobId}'.");
            }

            first = false;
            if (!chunk.Data.IsEmpty)
            {
                hash.AppendData(chunk.Data.Span);
                await destination.WriteAsync(chunk.Data.Memory, options.CancellationToken).ConfigureAwait(false);
                received += (ulong)chunk.Data.Length;
            }

            if (!chunk.Sha256.IsEmpty)
            {
                last = chunk;
            }
        }

        if (last is null)
        {
            throw DataLoss($"The download of '{blobId}' ended without its final digest chunk.");
        }

        var digest = hash.GetHashAndReset();
        if (last.TotalLength != received || !CryptographicOperations.FixedTimeEquals(digest, last.Sha256.Span))
        {
            throw DataLoss($"The download of '{blobId}' does not match its declared length or SHA-256.");
        }

        return new BlobReceipt { BlobId = blobId, Length = received, Sha256 = ByteString.CopyFrom(digest) };
    }

    private static RpcException DataLoss(string detail) => new(new Status(StatusCode.DataLoss, detail));
}
