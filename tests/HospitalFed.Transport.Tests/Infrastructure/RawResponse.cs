namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>What a raw request got back: HTTP status, status headers (trailers-only) or trailers, and the body.</summary>
internal sealed record RawResponse(
    int HttpStatus,
    string? HeaderStatus,
    string? HeaderMessage,
    string? TrailerStatus,
    string? TrailerMessage,
    string? AcceptEncoding,
    IReadOnlyDictionary<string, string> Trailers,
    byte[] Body)
{
    /// <summary>The gRPC status wherever it was sent.</summary>
    public string? GrpcStatus => HeaderStatus ?? TrailerStatus;

    public string? GrpcMessage => HeaderMessage ?? TrailerMessage;
}
