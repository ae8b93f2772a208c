using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Grpc.Net.Client;
using HospitalFed.Transport.Internal;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport;

/// <summary>
/// Creates grpc-dotnet channels to HospitalFed nodes: HTTP/2 on <see cref="SocketsHttpHandler"/>, h2c
/// for <c>http://</c> and mutual TLS for <c>https://</c> with the server's certificate validated against
/// the consortium's CA bundle (not the machine's trust store), keep-alive pings on open calls, and
/// stream windows large enough that a streamed model does not stall on WINDOW_UPDATE round trips.
/// </summary>
public static class NodeChannel
{
    /// <summary>Creates a channel to <paramref name="address"/>; no connection is made until the first call.</summary>
    /// <param name="address"><c>http://host:port</c> (h2c) or <c>https://host:port</c> (mutual TLS).</param>
    /// <param name="options">TLS material, limits and keep-alive; defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Receives grpc-dotnet's client logs; none by default.</param>
    /// <returns>The channel; dispose it to close its connections.</returns>
    /// <exception cref="ArgumentException">The address or an option is invalid; the message names it.</exception>
    /// <remarks>
    /// A call that cannot connect ends with UNAVAILABLE; its cause says why in one line (for example
    /// "could not reach https://host:port: the node's TLS certificate was refused: REASON"), which
    /// <see cref="NodeCallFailure.Describe"/> returns.
    /// </remarks>
    public static GrpcChannel Create(Uri address, RpcChannelOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new RpcChannelOptions();
        Validate(address, options);
        var handler = new SocketsHttpHandler
        {
            // Keep-alive pings on long-lived streams (RFC 9113 6.7), only while a call is open.
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
            InitialHttp2StreamWindowSize = options.InitialStreamWindowSize,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
        };
        if (address.Scheme == Uri.UriSchemeHttps)
        {
            var validator = CertificateAuthorityValidator.ForServers(options.TrustedServerAuthorities, options.TimeProvider);
            var clientCertificate = options.ClientCertificate!;
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificates = [clientCertificate],
                // Always present our certificate, even if the server's acceptable-CA list does not name its
                // issuer, so that the server can refuse it with a reason instead of seeing no certificate.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
                // A refusal is thrown rather than returned so that its reason (not issued by the consortium CA,
                // expired, wrong name) reaches the caller's RpcException instead of a generic TLS failure.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => validator.TryValidate(certificate, errors, out var reason)
                    ? true
                    : throw new AuthenticationException(NodeConnectionHandler.RefusalPrefix + reason),
            };
        }

        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            // grpc-dotnet finds the SocketsHttpHandler behind the delegating handler (keep-alive, HTTP/2 features).
            HttpHandler = new NodeConnectionHandler(address) { InnerHandler = handler },
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxSendMessageSize,
            LoggerFactory = loggerFactory,
        });
    }

    private static void Validate(Uri address, RpcChannelOptions options)
    {
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Address '{address}' must be an absolute http:// (h2c) or https:// (TLS) URI.", nameof(address));
        }

        if (address.Scheme == Uri.UriSchemeHttps)
        {
            if (options.TrustedServerAuthorities is not { Count: > 0 })
            {
                throw new ArgumentException($"{nameof(RpcChannelOptions)}.{nameof(RpcChannelOptions.TrustedServerAuthorities)} is empty: an https:// address needs the CA bundle that issues server certificates.", nameof(options));
            }

            if (options.ClientCertificate is not { HasPrivateKey: true })
            {
                throw new ArgumentException($"{nameof(RpcChannelOptions)}.{nameof(RpcChannelOptions.ClientCertificate)} must be set, with its private key: servers require mutual TLS.", nameof(options));
            }
        }
        else if (options.ClientCertificate is not null)
        {
            throw new ArgumentException($"A client certificate was configured for the plaintext address '{address}'; use https:// for TLS.", nameof(options));
        }

        if (options.MaxReceiveMessageSize < 0 || options.MaxSendMessageSize < 0)
        {
            throw new ArgumentException("Message size limits must not be negative.", nameof(options));
        }

        if (options.InitialStreamWindowSize is < 65535 or > 16 * 1024 * 1024)
        {
            throw new ArgumentException($"{nameof(RpcChannelOptions)}.{nameof(RpcChannelOptions.InitialStreamWindowSize)} must be between 65535 and 16 MiB (got {options.InitialStreamWindowSize}).", nameof(options));
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(RpcChannelOptions)}.{nameof(RpcChannelOptions.ConnectTimeout)} must be positive.", nameof(options));
        }
    }
}
