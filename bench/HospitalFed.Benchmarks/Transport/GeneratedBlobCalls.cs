using System.Buffers;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Benchmarks.Transport;

/// <summary>
/// grpc-dotnet's side of the blob benchmarks, on the generated BlobTransfer client: chunks out with the SHA-256 and
/// length in the final chunk (the node verifies both), chunks in with the digest checked here.
/// </summary>
internal sealed class GeneratedBlobCalls(BlobTransfer.BlobTransferClient client)
{
    private const int ChunkSize = 64 * 1024;

    public async Task<BlobReceipt> UploadAsync(string blobId, Stream source, CallOptions options)
    {
        using var call = client.Upload(options);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            ulong total = 0;
            int read;
            while ((read = await source.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, options.CancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                var chunk = new BlobChunk { Data = ByteString.CopyFrom(buffer, 0, read) };
                if (total == 0)
                {
                    chunk.BlobId = blobId;
                }

                await call.RequestStream.WriteAsync(chunk).ConfigureAwait(false);
                total += (ulong)read;
            }

            var final = new BlobChunk { Sha256 = ByteString.CopyFrom(hash.GetHashAndReset()), TotalLength = total };
            if (total == 0)
            {
                final.BlobId = blobId;
            }

            await call.RequestStream.WriteAsync(final).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<BlobReceipt> DownloadAsync(string blobId, Stream destination, CallOptions options)
    {
        using var call = client.Download(new BlobRequest { BlobId = blobId }, options);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ulong total = 0;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
        {
            hash.AppendData(chunk.Data.Span);
            await destination.WriteAsync(chunk.Data.Memory, options.CancellationToken).ConfigureAwait(false);
            total += (ulong)chunk.Data.Length;
            if (!chunk.Sha256.IsEmpty)
            {
                var digest = hash.GetHashAndReset();
                return CryptographicOperations.FixedTimeEquals(digest, chunk.Sha256.Span) && chunk.TotalLength == total
                    ? new BlobReceipt { BlobId = blobId, Length = total, Sha256 = ByteString.CopyFrom(digest) }
                    : throw new InvalidOperationException($"the download of {blobId} does not match the node's SHA-256 and length");
            }
        }

        throw new InvalidOperationException($"the download of {blobId} ended without its final chunk carrying the SHA-256");
    }
}
