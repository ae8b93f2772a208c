using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Client;
using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Hosting;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>Starts grpc-dotnet servers with the transport's services, over h2c or mutual TLS.</summary>
internal static class TestServers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task<NodeServer> StartAsync(
        IBlobStore store,
        LogCollector? logs = null,
        TestPki? pki = null,
        Action<GrpcServiceOptions>? messages = null,
        TimeSpan? keepAlive = null,
        Action<NodeServices>? more = null)
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

        var services = new NodeServices().Add(new DiagnosticsService()).Add(new BlobTransferService(store));
        more?.Invoke(services);
        return NodeServer.StartAsync(host, services, messages, logs).WaitAsync(Timeout);
    }

    public static GrpcChannel Channel(NodeServer server, TestPki? pki = null, Action<RpcChannelOptions>? configure = null)
    {
        var options = new RpcChannelOptions();
        if (pki is not null)
        {
            options.TrustedServerAuthorities = pki.Bundle;
            options.ClientCertificate = pki.Client;
        }

        configure?.Invoke(options);
        return NodeChannel.Create(server.Address, options);
    }

    public static CallOptions Bounded(TimeSpan? timeout = null) =>
        new(cancellationToken: new CancellationTokenSource(timeout ?? Timeout).Token);
}
