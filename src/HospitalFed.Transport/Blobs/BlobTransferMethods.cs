using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Blobs;

/// <summary>The methods of <c>hospitalfed.v1.BlobTransfer</c>.</summary>
public static class BlobTransferMethods
{
    /// <summary>The service's full name.</summary>
    public const string ServiceName = "hospitalfed.v1.BlobTransfer";

    /// <summary>Client streaming upload.</summary>
    public static Method<BlobChunk, BlobReceipt> Upload { get; } = new(MethodType.ClientStreaming, ServiceName, "Upload", BlobChunk.Parser, BlobReceipt.Parser);

    /// <summary>Server streaming download.</summary>
    public static Method<BlobRequest, BlobChunk> Download { get; } = new(MethodType.ServerStreaming, ServiceName, "Download", BlobRequest.Parser, BlobChunk.Parser);
}
