using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Health;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>Starts servers with the transport's services plus the probe, over h2c or mutual TLS.</summary>
internal static class TestServers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task<RpcServer> StartAsync(
        IBlobStore store,
        ProbeService? probe = null,
        HealthService? health = null,
        LogCollector? logs = null,
        TestPki? pki = null,
        Action<RpcServerOptions>? messages = null,
        TimeSpan? keepAlive = null)
    {
        var host = new RpcHostOptions();
        if (pki is not null)
        {
            host.ServerCertificate = pki.Server;
            host.TrustedClientAuthorities = pki.Bundle;
        }

        if (keepAlive is { } delay)
        {
            host.KeepAlivePingDelay = delay;
            host.KeepAlivePingTimeout = delay;
        }

        IRpcService[] services = [new DiagnosticsService(), health ?? new HealthService(), new BlobTransferService(store), probe ?? new ProbeService()];
        return RpcServer.StartAsync(host, services, messages, logs).WaitAsync(Timeout);
    }

    public static RpcChannel Channel(RpcServer server, TestPki? pki = null, Action<RpcChannelOptions>? configure = null)
    {
        var options = new RpcChannelOptions();
        if (pki is not null)
        {
            options.TrustedServerAuthorities = pki.Bundle;
            options.ClientCertificate = pki.Client;
        }

        configure?.Invoke(options);
        return RpcChannel.Create(server.Address, options);
    }

    public static CallOptions Bounded(TimeSpan? timeout = null) =>
        new(CancellationToken: new CancellationTokenSource(timeout ?? Timeout).Token);
}
