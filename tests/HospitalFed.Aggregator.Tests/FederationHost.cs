using HospitalFed.Aggregator.Hosting;
using Grpc.Net.Client;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Pki;
using HospitalFed.Transport;
using HospitalFed.Transport.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// An <see cref="InProcessFederation"/>'s orchestrator served as <c>AggregatorRuntime</c> serves it:
/// the Federation and health services on 127.0.0.1 over mutual TLS against the consortium root,
/// site certificates vetted by the runtime's own policy, the deadline loop running. Sites get
/// channels with their own client certificates.
/// </summary>
internal sealed class FederationHost : IAsyncDisposable
{
    private readonly InProcessFederation _federation;
    private readonly NodeServer _server;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;
    private readonly List<GrpcChannel> _channels = [];

    private FederationHost(InProcessFederation federation, NodeServer server, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, OrchestratorRunner runner, Task ticking)
    {
        _federation = federation;
        _server = server;
        _certificate = certificate;
        Runner = runner;
        Ticking = ticking;
    }

    /// <summary>Routes site messages to the orchestrator and ticks its deadlines.</summary>
    public OrchestratorRunner Runner { get; }

    /// <summary>The deadline loop; ends with the plan.</summary>
    public Task Ticking { get; }

    /// <summary>Starts the orchestrator, the server and the deadline loop.</summary>
    /// <param name="federation">The federation to serve.</param>
    /// <param name="maxMessageBytes">The server's send limit (grpc-dotnet's default, unlimited, when null).</param>
    /// <param name="connectionMiddleware">Runs on each connection before TLS.</param>
    /// <param name="logger">The runner's logger (none when null).</param>
    /// <param name="cancellationToken">Stops the server and the loop.</param>
    public static Task<FederationHost> StartAsync(InProcessFederation federation, CancellationToken cancellationToken, int? maxMessageBytes = null, Func<ConnectionDelegate, ConnectionDelegate>? connectionMiddleware = null, ILogger<OrchestratorRunner>? logger = null)
    {
        federation.Orchestrator.Start();
        var runner = new OrchestratorRunner(federation.Orchestrator, federation.Plan.Id, TimeProvider.System, logger);
        return StartAsync(federation, runner, new FederationService(runner, federation.Trust, federation.Plan.Id), runner.RunAsync(cancellationToken), maxMessageBytes, connectionMiddleware, cancellationToken);
    }

    /// <summary>
    /// Serves <paramref name="service"/> in place of the real Federation service, on the same
    /// mutual-TLS server (for a misbehaving aggregator); the orchestrator is not started.
    /// </summary>
    /// <typeparam name="TService">The service class (derived from the generated <c>Federation.FederationBase</c>).</typeparam>
    public static Task<FederationHost> StartAsync<TService>(InProcessFederation federation, TService service, CancellationToken cancellationToken)
        where TService : class =>
        StartAsync(federation, new OrchestratorRunner(federation.Orchestrator, federation.Plan.Id, TimeProvider.System), service, Task.CompletedTask, null, null, cancellationToken);

    private static async Task<FederationHost> StartAsync<TService>(InProcessFederation federation, OrchestratorRunner runner, TService service, Task ticking, int? maxMessageBytes, Func<ConnectionDelegate, ConnectionDelegate>? connectionMiddleware, CancellationToken cancellationToken)
        where TService : class
    {
        var certificate = TlsIdentities.Issue(federation.Consortium.Authority, "aggregator", ConsortiumRole.Aggregator);
        var trust = federation.Trust;
        var server = await NodeServer.StartAsync(
            new RpcHostOptions
            {
                Port = 0,
                ServerCertificate = certificate,
                TrustedClientAuthorities = [federation.Consortium.Root],
                ClientCertificatePolicy = c => AggregatorRuntime.SiteRefusal(trust, c, TimeProvider.System),
                ConnectionMiddleware = connectionMiddleware,
            },
            new NodeServices().Add(service),
            maxMessageBytes is { } limit ? messages => messages.MaxSendMessageSize = limit : null,
            cancellationToken: cancellationToken);
        return new FederationHost(federation, server, certificate, runner, ticking);
    }

    /// <summary>A channel for <paramref name="site"/>, certified by <paramref name="authority"/> (the consortium's by default); disposed with the host.</summary>
    public GrpcChannel Channel(string site, Action<RpcChannelOptions>? configure = null, ConsortiumAuthority? authority = null)
    {
        var options = new RpcChannelOptions
        {
            TrustedServerAuthorities = [_federation.Consortium.Root],
            ClientCertificate = TlsIdentities.Issue(authority ?? _federation.Consortium.Authority, site, ConsortiumRole.Site),
        };
        configure?.Invoke(options);
        var channel = NodeChannel.Create(new Uri($"https://localhost:{_server.Address.Port}"), options);
        _channels.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        _channels.ForEach(c => c.Dispose());
        await _server.DisposeAsync();
        _certificate.Dispose();
    }
}
