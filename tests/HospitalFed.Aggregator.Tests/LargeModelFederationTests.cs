using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Hosting;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Crypto.Identity;
using HospitalFed.Site.Worker;
using HospitalFed.Transport;
using HospitalFed.Transport.Federation;
using Microsoft.AspNetCore.Connections;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class LargeModelFederationTests
{
    [Test]
    public async Task Plan_MillionParameterMlpOverMutualTls_CompletesWithTaskMessagesSizedByFederationLimits()
    {
        // Arrange: 13 -> 1024 -> 1024 -> 1 is 1,064,961 parameters, a 4.26 MB model: every
        // invitation and result is larger than gRPC's default 4 MiB message limit.
        using var federation = new InProcessFederation(rounds: 3, model: new JsonObject { ["kind"] = "mlp", ["hiddenLayers"] = new JsonArray(1024, 1024) });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        federation.Orchestrator.Start();
        var parameters = federation.Job.GlobalModel.Length;
        var runner = new OrchestratorRunner(federation.Orchestrator, federation.Plan.Id, TimeProvider.System);
        var authority = federation.Consortium.Authority;
        using var serverCertificate = TlsIdentities.Issue(authority, "aggregator", ConsortiumRole.Aggregator);
        var trust = federation.Trust;
        var firstBytes = new System.Collections.Concurrent.ConcurrentBag<byte>();
        await using var server = await RpcServer.StartAsync(
            new RpcHostOptions
            {
                Port = 0,
                ServerCertificate = serverCertificate,
                TrustedClientAuthorities = [federation.Consortium.Root],
                ClientCertificatePolicy = c => AggregatorRuntime.SiteRefusal(trust, c),
                ConnectionMiddleware = next => async context => await next(await PeekAsync(context, firstBytes)),
            },
            [new FederationService(runner, trust, federation.Plan.Id)],
            messages => messages.MaxSendMessageSize = FederationLimits.TaskMessageBytes(parameters),
            cancellationToken: cts.Token);
        var ticking = runner.RunAsync(cts.Token);
        var channels = federation.Agents.Keys.Select(name => RpcChannel.Create(new Uri($"https://localhost:{server.Address.Port}"), new RpcChannelOptions
        {
            TrustedServerAuthorities = [federation.Consortium.Root],
            ClientCertificate = TlsIdentities.Issue(authority, name, ConsortiumRole.Site),
            MaxReceiveMessageSize = FederationLimits.MaxTaskMessageBytes,
        })).ToList();

        // Act
        var workers = federation.Agents.Values.Zip(channels, (agent, channel) => new SiteWorker(agent, channel, federation.Plan.Id).RunAsync(cts.Token));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        await runner.Finished.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.That(parameters * sizeof(float), Is.GreaterThan(4 * 1024 * 1024));
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        Assert.That(federation.Agents.Values.Select(a => a.ModelDigest), Is.All.EqualTo(federation.Orchestrator.History[^1].ModelDigest));
        Assert.That(federation.Agents.Values.Select(a => a.Model!.Length), Is.All.EqualTo(parameters));
        // The middleware runs outside TLS: every connection opens with a TLS handshake record (RFC 8446 5.1: type 22).
        Assert.That(firstBytes, Has.Count.GreaterThanOrEqualTo(4).And.All.EqualTo((byte)22));
        Assert.That(async () => await ticking.WaitAsync(TimeSpan.FromSeconds(10)), Throws.Nothing);
        channels.ForEach(c => c.Dispose());
    }

    /// <summary>Records the connection's first byte without consuming it.</summary>
    private static async Task<ConnectionContext> PeekAsync(ConnectionContext context, System.Collections.Concurrent.ConcurrentBag<byte> firstBytes)
    {
        var read = await context.Transport.Input.ReadAsync();
        if (!read.Buffer.IsEmpty)
        {
            firstBytes.Add(read.Buffer.FirstSpan[0]);
        }

        context.Transport.Input.AdvanceTo(read.Buffer.Start);
        return context;
    }
}
