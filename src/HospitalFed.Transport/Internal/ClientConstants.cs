namespace HospitalFed.Transport.Internal;

/// <summary>Client-side protocol values (PROTOCOL-HTTP2.md "Requests").</summary>
internal static class ClientConstants
{
    /// <summary>"User-Agent → "user-agent" {structured user-agent string}".</summary>
    public const string UserAgent = "grpc-dotnet-hospitalfed/1.0";

    public const string NoStatus = "No grpc-status found on response.";

    public const string EmptyUnaryResponse = "Failed to deserialize response message: the server sent OK without a message.";

    public const string DeadlineExceeded = "Deadline Exceeded";

    public const string Cancelled = "Call canceled by the client.";
}
