using System.Security.Cryptography.X509Certificates;

namespace HospitalFed.Transport;

/// <summary>How a client reaches a node: TLS material, message limits and keep-alive. Validated by <see cref="NodeChannel.Create"/>.</summary>
public sealed class RpcChannelOptions
{
    /// <summary>The CA bundle the server's certificate must chain to (custom root trust only). Required for <c>https://</c> addresses.</summary>
    public X509Certificate2Collection TrustedServerAuthorities { get; set; } = [];

    /// <summary>This node's certificate with its private key, presented to the server (mutual TLS). Required for <c>https://</c> addresses.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Largest response message accepted, in bytes; larger ends the call with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest request message sent, in bytes; larger fails with RESOURCE_EXHAUSTED before sending. Default 4 MiB.</summary>
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Idle time after which the client pings the server (HTTP/2 PING) while a call is open. Default 30 s; <see cref="Timeout.InfiniteTimeSpan"/> disables.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the client waits for a ping's answer before failing the connection. Default 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Initial HTTP/2 receive window per stream, in bytes (RFC 9113 6.9.2). Larger than HttpClient's 64 KiB
    /// default so a streamed download does not stall on WINDOW_UPDATE round trips; it bounds what one
    /// stream may buffer. Default 2 MiB, matching the server's window for uploads.
    /// </summary>
    public int InitialStreamWindowSize { get; set; } = 2 * 1024 * 1024;

    /// <summary>Time to establish a connection (TCP and TLS) before the call fails with UNAVAILABLE. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for deadlines and certificate validity. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
