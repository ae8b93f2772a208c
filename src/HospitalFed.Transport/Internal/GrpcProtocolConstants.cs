namespace HospitalFed.Transport.Internal;

/// <summary>Names and values both sides of the wire share (gRPC PROTOCOL-HTTP2.md).</summary>
internal static class GrpcProtocolConstants
{
    /// <summary>"Content-Type → "content-type" "application/grpc" [("+proto" / "+json" / {custom})]".</summary>
    public const string ContentType = "application/grpc";

    public const string ContentTypeProto = "application/grpc+proto";

    public const string StatusHeader = "grpc-status";

    public const string MessageHeader = "grpc-message";

    public const string TimeoutHeader = "grpc-timeout";

    public const string EncodingHeader = "grpc-encoding";

    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    public const string TeHeader = "te";

    public const string TeTrailers = "trailers";

    /// <summary>The only message encoding this transport speaks; gzip is out of scope (GRPC-WIRE.md).</summary>
    public const string IdentityEncoding = "identity";

    /// <summary>"Length-Prefixed-Message → Compressed-Flag Message-Length Message": 1 + 4 bytes.</summary>
    public const int FrameHeaderSize = 5;

    /// <summary>gRPC's default receive limit (4 MiB), the same in every official implementation.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>HTTP/2 RST_STREAM error code CANCEL (RFC 9113 section 7), used after a server deadline.</summary>
    public const int ResetStreamCancel = 0x8;

    public const string MessageTooLarge = "Received message exceeds the maximum configured message size.";

    public const string SendMessageTooLarge = "Sending message exceeds the maximum configured message size.";

    public const string IncompleteMessage = "Incomplete message.";

    public const string AdditionalData = "Additional data after the message received.";

    public static bool IsGrpcContentType(string? contentType)
    {
        // "application/grpc" or "application/grpc+proto", optionally followed by ";params".
        if (contentType is null)
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return string.Equals(mediaType, ContentType, StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, ContentTypeProto, StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsReservedHeader(string lowerCaseName) =>
        lowerCaseName.StartsWith("grpc-", StringComparison.Ordinal)
        || lowerCaseName.StartsWith(':')
        || lowerCaseName is "content-type" or "te" or "host" or "user-agent" or "content-length" or "connection" or "transfer-encoding";
}
