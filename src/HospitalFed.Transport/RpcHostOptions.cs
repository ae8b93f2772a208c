using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;

namespace HospitalFed.Transport;

/// <summary>
/// Where and how a node listens: address, port, mutual TLS and HTTP/2 keep-alive.
/// Validated when the server starts; every problem is reported with the option's name.
/// </summary>
public sealed class RpcHostOptions
{
    /// <summary>IP address to listen on. Default <c>127.0.0.1</c>.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="Hosting.NodeServer.Address"/>). Default 0.</summary>
    public int Port { get; set; }

    /// <summary>
    /// The server's certificate with its private key. <see langword="null"/> (the default) serves
    /// plaintext HTTP/2 (h2c), meant for loopback only; when set, every client must present a
    /// certificate issued by one of <see cref="TrustedClientAuthorities"/>.
    /// </summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>The CA bundle client certificates must chain to (custom root trust only). Required with TLS.</summary>
    public X509Certificate2Collection TrustedClientAuthorities { get; set; } = [];

    /// <summary>
    /// Optional extra decision on a client certificate that already chains to the CA bundle (for example a
    /// consortium role or revocation check): return <see langword="null"/> to accept, or the refusal reason.
    /// </summary>
    public Func<X509Certificate2, string?>? ClientCertificatePolicy { get; set; }

    /// <summary>
    /// Optional Kestrel connection middleware, added outermost (before TLS), so it sees each
    /// connection's raw TCP bytes; for example a traffic meter. Default none.
    /// </summary>
    public Func<ConnectionDelegate, ConnectionDelegate>? ConnectionMiddleware { get; set; }

    /// <summary>Idle time after which the server pings the client (HTTP/2 PING) to keep long streams alive. Default 30 s; at least 1 s.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the server waits for a ping's answer before closing the connection. Default 20 s; at least 1 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
