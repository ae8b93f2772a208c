using System.Collections.Concurrent;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Tests.Client;

/// <summary>
/// A test-only BlobTransfer service keeping blobs in memory, with switches that make it lie: a
/// receipt with another digest, or a download whose bytes do not match the final digest chunk.
/// </summary>
internal sealed class MemoryBlobTransfer : BlobTransfer.BlobTransferBase
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    /// <summary>Answers uploads with the digest of other bytes.</summary>
    public bool LieInReceipt { get; init; }

    /// <summary>Sends downloads with one byte flipped after hashing.</summary>
    public bool FlipOnDownload { get; init; }

    public override async Task<BlobReceipt> Upload(IAsyncStreamReader<BlobChunk> requestStream, ServerCallContext context)
    {
        using var buffer = new MemoryStream();
        var id = string.Empty;
        await foreach (var chunk in requestStream.ReadAllAsync(context.CancellationToken))
        {
            id = chunk.BlobId.Length > 0 ? chunk.BlobId : id;
            chunk.Data.WriteTo(buffer);
        }

        var bytes = buffer.ToArray();
        _blobs[id] = bytes;
        var digest = SHA256.HashData(LieInReceipt ? [.. bytes, 0] : bytes);
        return new BlobReceipt { BlobId = id, Length = (ulong)bytes.Length, Sha256 = ByteString.CopyFrom(digest) };
    }

    public override async Task Download(BlobRequest request, IServerStreamWriter<BlobChunk> responseStream, ServerCallContext context)
    {
        if (!_blobs.TryGetValue(request.BlobId, out var bytes))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no blob '{request.BlobId}'"));
        }

        var digest = SHA256.HashData(bytes);
        var sent = (byte[])bytes.Clone();
        if (FlipOnDownload && sent.Length > 0)
        {
            sent[0] ^= 0x01;
        }

        await responseStream.WriteAsync(new BlobChunk { BlobId = request.BlobId, Data = ByteString.CopyFrom(sent) }, context.CancellationToken);
        await responseStream.WriteAsync(new BlobChunk { Sha256 = ByteString.CopyFrom(digest), TotalLength = (ulong)bytes.Length }, context.CancellationToken);
    }
}
