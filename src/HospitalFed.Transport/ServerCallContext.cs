using System.Security.Cryptography.X509Certificates;
using HospitalFed.Transport.Internal;
using Microsoft.AspNetCore.Http;

namespace HospitalFed.Transport;

/// <summary>What a server handler knows about the call it serves.</summary>
public sealed class ServerCallContext
{
    private readonly HttpContext _http;
    private Metadata? _requestHeaders;

    internal ServerCallContext(HttpContext http, string method, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        _http = http;
        Method = method;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The called method's path, <c>/{package}.{Service}/{Method}</c>.</summary>
    public string Method { get; }

    /// <summary>When the client's <c>grpc-timeout</c> expires; <see langword="null"/> when it sent none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Fires when the deadline expires or the client cancels; pass it to everything the handler awaits.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The client's custom metadata (reserved gRPC and HTTP headers excluded).</summary>
    public Metadata RequestHeaders => _requestHeaders ??= MetadataCodec.FromHeaders(_http.Request.Headers);

    /// <summary>Custom metadata to send with the status at the end of the call.</summary>
    public Metadata ResponseTrailers { get; } = [];

    /// <summary>The client's TLS certificate, already validated against the configured CA bundle; <see langword="null"/> over h2c.</summary>
    public X509Certificate2? ClientCertificate => _http.Connection.ClientCertificate;

    /// <summary>The client's address, for logs (for example <c>ipv4:127.0.0.1:50312</c>).</summary>
    public string Peer => _http.Connection.RemoteIpAddress is { } ip
        ? (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ipv6:[" + ip + "]:" : "ipv4:" + ip + ":") + _http.Connection.RemotePort
        : "unknown";
}
