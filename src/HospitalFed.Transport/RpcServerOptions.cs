namespace HospitalFed.Transport;

/// <summary>Message limits for the calls a server handles. Validated when the host starts.</summary>
public sealed class RpcServerOptions
{
    /// <summary>
    /// Largest request message accepted, in bytes; a larger one ends the call with RESOURCE_EXHAUSTED.
    /// Default 4 MiB, gRPC's usual limit. Large payloads travel as chunks (see the blob transfer service).
    /// </summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent, in bytes; a handler writing a larger one ends with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;
}
