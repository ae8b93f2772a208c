using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using Google.Protobuf;
using HospitalFed.Transport.Internal;

namespace HospitalFed.Transport;

/// <summary>
/// A client connection to one gRPC server over HTTP/2 (<c>http://</c> for h2c with prior knowledge,
/// <c>https://</c> for mutual TLS), on <see cref="SocketsHttpHandler"/>. Thread-safe; create one per
/// server and reuse it: calls are multiplexed as HTTP/2 streams.
/// </summary>
public sealed class RpcChannel : IDisposable
{
    private readonly HttpClient _client;
    private string? _lastTlsRefusal;

    private RpcChannel(Uri address, RpcChannelOptions options)
    {
        Address = address;
        Options = options;
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
                // Always present our certificate, even if the server's acceptable-CA list does not name its issuer,
                // so that the server can refuse it with a reason instead of seeing no certificate.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (validator.TryValidate(certificate, errors, out var reason))
                    {
                        return true;
                    }

                    _lastTlsRefusal = "the server's " + reason;
                    return false;
                },
            };
        }

        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.ExpectContinue = false;
    }

    /// <summary>The server's address.</summary>
    public Uri Address { get; }

    internal RpcChannelOptions Options { get; }

    internal HttpClient HttpClient => _client;

    /// <summary>Creates a channel to <paramref name="address"/>; no connection is made until the first call.</summary>
    /// <param name="address"><c>http://host:port</c> (h2c) or <c>https://host:port</c> (mutual TLS).</param>
    /// <param name="options">TLS material, limits and keep-alive; defaults when <see langword="null"/>.</param>
    /// <returns>The channel.</returns>
    /// <exception cref="ArgumentException">The address or an option is invalid; the message names it.</exception>
    public static RpcChannel Create(Uri address, RpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new RpcChannelOptions();
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

        return new RpcChannel(new Uri(address.GetLeftPart(UriPartial.Authority) + "/"), options);
    }

    /// <summary>Makes a unary call.</summary>
    /// <typeparam name="TRequest">The request message.</typeparam>
    /// <typeparam name="TResponse">The response message.</typeparam>
    /// <param name="method">The method.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The response.</returns>
    /// <exception cref="RpcException">The call ended with a non-OK status.</exception>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        CheckMethod(method, MethodType.Unary);
        ArgumentNullException.ThrowIfNull(request);
        var content = new ByteArrayContent(FrameWriter.ToArray(request, Options.MaxSendMessageSize));
        content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocolConstants.ContentType);
        using var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.Start(content);
        return await call.ReadSingleResponseAsync().ConfigureAwait(false);
    }

    /// <summary>Starts a server-streaming call.</summary>
    /// <typeparam name="TRequest">The request message.</typeparam>
    /// <typeparam name="TResponse">The response message.</typeparam>
    /// <param name="method">The method.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The call; read its responses, then dispose it.</returns>
    public AsyncServerStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        CheckMethod(method, MethodType.ServerStreaming);
        ArgumentNullException.ThrowIfNull(request);
        var content = new ByteArrayContent(FrameWriter.ToArray(request, Options.MaxSendMessageSize));
        content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocolConstants.ContentType);
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.Start(content);
        return new AsyncServerStreamingCall<TResponse>(call.ReadNextAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    /// <summary>Starts a client-streaming call.</summary>
    /// <typeparam name="TRequest">The request message.</typeparam>
    /// <typeparam name="TResponse">The response message.</typeparam>
    /// <param name="method">The method.</param>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The call; write requests, complete the stream, await the response, then dispose it.</returns>
    public AsyncClientStreamingCall<TRequest, TResponse> ClientStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        CheckMethod(method, MethodType.ClientStreaming);
        var content = new PushStreamContent();
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.Start(content);
        var writer = new ClientStreamWriter<TRequest, TResponse>(call, content, Options.MaxSendMessageSize);
        return new AsyncClientStreamingCall<TRequest, TResponse>(writer, call.ReadSingleResponseAsync(), call.GetStatus, call.GetTrailers, call.Dispose);
    }

    /// <summary>Starts a bidirectional streaming call.</summary>
    /// <typeparam name="TRequest">The request message.</typeparam>
    /// <typeparam name="TResponse">The response message.</typeparam>
    /// <param name="method">The method.</param>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The call; write and read independently, then dispose it.</returns>
    public AsyncDuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        CheckMethod(method, MethodType.DuplexStreaming);
        var content = new PushStreamContent();
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.Start(content);
        var writer = new ClientStreamWriter<TRequest, TResponse>(call, content, Options.MaxSendMessageSize);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(writer, call.ReadNextAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    /// <summary>Closes the channel's connections; calls still running fail.</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>One line saying why a connection could not be made, naming the TLS refusal when there was one.</summary>
    internal string DescribeConnectionFailure(Exception exception)
    {
        var prefix = $"Could not reach {Address.GetLeftPart(UriPartial.Authority)}: ";
        if (Interlocked.Exchange(ref _lastTlsRefusal, null) is { } refusal)
        {
            return prefix + "TLS refused: " + refusal + ".";
        }

        var inner = ExceptionChain.Innermost(exception);
        if (Address.Scheme != Uri.UriSchemeHttps)
        {
            return prefix + inner.Message;
        }

        if (inner is AuthenticationException)
        {
            return prefix + "TLS handshake failed (" + inner.Message.TrimEnd('.') + "). The server refuses clients whose certificate is missing or not issued by a CA it trusts.";
        }

        // With TLS 1.3 the server checks the client certificate after the client considers the handshake
        // done (RFC 8446 4.4.2), so a refusal shows up as the connection closing before any response,
        // which HttpClient reports in several ways (EOF, protocol error, disposed stream).
        var couldNotConnect = inner is System.Net.Sockets.SocketException or TimeoutException
            || exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError };
        return couldNotConnect
            ? prefix + inner.Message
            : prefix + "the server closed the TLS connection before answering (" + inner.Message.TrimEnd('.') + "). Over mutual TLS this means it refused this node's certificate: missing, expired, or not issued by a CA it trusts.";
    }

    private static void CheckMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType expected)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Type != expected)
        {
            throw new ArgumentException($"{method.FullName} is a {method.Type} method, not {expected}.", nameof(method));
        }
    }
}
