using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Security.Authentication;
using HospitalFed.Transport.Hosting;
using HospitalFed.Transport.Internal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HospitalFed.Transport;

/// <summary>Configures a Kestrel endpoint for gRPC: HTTP/2 only, optional mutual TLS, keep-alive pings.</summary>
public static class RpcKestrelExtensions
{
    /// <summary>
    /// Adds the endpoint <paramref name="options"/> describes. With a server certificate, TLS negotiates h2
    /// by ALPN and a client certificate chaining to the CA bundle is required; refusals are logged with
    /// their reason. Without one, plaintext HTTP/2 (h2c) with prior knowledge.
    /// </summary>
    /// <param name="kestrel">Kestrel's options.</param>
    /// <param name="options">The endpoint; validated first.</param>
    /// <param name="loggerFactory">Receives TLS refusals.</param>
    /// <param name="time">Clock for certificate validity; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public static void ListenRpc(this KestrelServerOptions kestrel, RpcHostOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var validation = new RpcHostOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(RpcHostOptions), typeof(RpcHostOptions), validation.Failures);
        }

        time ??= TimeProvider.System;
        kestrel.AddServerHeader = false;
        kestrel.Limits.Http2.KeepAlivePingDelay = options.KeepAlivePingDelay;
        kestrel.Limits.Http2.KeepAlivePingTimeout = options.KeepAlivePingTimeout;

        // Larger windows than Kestrel's defaults keep a streamed upload from stalling on WINDOW_UPDATE
        // round trips (RFC 9113 6.9); memory stays bounded by these sizes per stream.
        kestrel.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
        kestrel.Limits.Http2.InitialStreamWindowSize = 2 * 1024 * 1024;

        var logger = loggerFactory.CreateLogger(NodeServerLog.Category);
        kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (options.ConnectionMiddleware is { } middleware)
            {
                listen.Use(middleware); // before UseHttps: outside TLS
            }

            if (options.ServerCertificate is not { } certificate)
            {
                return;
            }

            var validator = CertificateAuthorityValidator.ForClients(options.TrustedClientAuthorities, time);
            var serverOptions = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                ClientCertificateRequired = true,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };

            // The handshake-callback form is the one where our validation callback sees a missing
            // certificate too, so every refusal is logged with its reason.
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = context =>
                {
                    var remote = context.Connection.RemoteEndPoint?.ToString() ?? "unknown";
                    var perConnection = new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = serverOptions.ServerCertificateContext,
                        EnabledSslProtocols = serverOptions.EnabledSslProtocols,
                        ApplicationProtocols = serverOptions.ApplicationProtocols,
                        ClientCertificateRequired = true,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                        {
                            var accepted = validator.TryValidate(presented, errors, out var reason);
                            if (accepted && options.ClientCertificatePolicy is { } policy && presented is X509Certificate2 leaf)
                            {
                                reason = policy(leaf) ?? string.Empty;
                                accepted = reason.Length == 0;
                            }

                            if (!accepted)
                            {
                                NodeServerLog.ClientCertificateRefused(logger, remote, reason);
                            }

                            return accepted;
                        },
                    };
                    return ValueTask.FromResult(perConnection);
                },
            });
        });
    }
}
