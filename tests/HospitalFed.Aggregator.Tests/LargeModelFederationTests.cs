using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Site.Worker;
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
        var parameters = federation.Job.GlobalModel.Length;
        var firstBytes = new System.Collections.Concurrent.ConcurrentBag<byte>();
        await using var host = await FederationHost.StartAsync(
            federation,
            cts.Token,
            maxMessageBytes: FederationLimits.TaskMessageBytes(parameters),
            connectionMiddleware: next => async context => await next(await PeekAsync(context, firstBytes)));
        var channels = federation.Agents.Keys.Select(name => host.Channel(name, o => o.MaxReceiveMessageSize = FederationLimits.MaxTaskMessageBytes)).ToList();

        // Act
        var workers = federation.Agents.Values.Zip(channels, (agent, channel) => new SiteWorker(agent, channel, federation.Plan.Id).RunAsync(cts.Token));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        await host.Runner.Finished.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.That(parameters * sizeof(float), Is.GreaterThan(4 * 1024 * 1024));
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        Assert.That(federation.Agents.Values.Select(a => a.ModelDigest), Is.All.EqualTo(federation.Orchestrator.History[^1].ModelDigest));
        Assert.That(federation.Agents.Values.Select(a => a.Model!.Length), Is.All.EqualTo(parameters));
        // The middleware runs outside TLS: every connection opens with a TLS handshake record (RFC 8446 5.1: type 22).
        Assert.That(firstBytes, Has.Count.GreaterThanOrEqualTo(4).And.All.EqualTo((byte)22));
        Assert.That(async () => await host.Ticking.WaitAsync(TimeSpan.FromSeconds(10)), Throws.Nothing);
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
