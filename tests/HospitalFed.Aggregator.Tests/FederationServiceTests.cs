using Grpc.Core;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Site.Worker;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class FederationServiceTests
{
    [Test]
    public async Task Plan_FourSiteWorkersOverLoopbackMutualTls_CompletesWithOneModel()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 4);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var host = await FederationHost.StartAsync(federation, cts.Token);
        var channels = federation.Agents.Keys.Select(name => host.Channel(name)).ToList();

        // Act
        var workers = federation.Agents.Values.Zip(channels, (agent, channel) => new SiteWorker(agent, channel, federation.Plan.Id).RunAsync(cts.Token));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        await host.Runner.Finished.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), federation.Orchestrator.FailureReason);
        Assert.That(federation.Orchestrator.History, Has.Count.EqualTo(4));
        var digest = federation.Orchestrator.History[^1].ModelDigest;
        Assert.That(federation.Agents.Values.Select(a => a.ModelDigest), Is.All.EqualTo(digest));
        Assert.That(async () => await host.Ticking.WaitAsync(TimeSpan.FromSeconds(10)), Throws.Nothing, "the deadline loop ends with the plan");
    }

    [Test]
    public async Task Subscribe_SiteCertificateFromAnotherCa_IsRefusedAndNeverJoins()
    {
        // Arrange: a site named like a member, but certified by a different consortium's CA.
        using var federation = new InProcessFederation(rounds: 2);
        using var foreign = HospitalFed.Ledger.Simulation.ConsortiumSimulation.Create(sites: 1, admins: 1, threshold: 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var host = await FederationHost.StartAsync(federation, cts.Token);
        var channel = host.Channel("site-01", authority: foreign.Authority);
        var client = new HospitalFed.Protocol.V1.Federation.FederationClient(channel);

        // Act
        var refusal = Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.Subscribe(new HospitalFed.Protocol.V1.SubscribeRequest(), new CallOptions(cancellationToken: cts.Token));
            await foreach (var unused in call.ResponseStream.ReadAllAsync(cts.Token))
            {
                Assert.Fail("a foreign site received a task");
            }
        });

        // Assert
        Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        Assert.That(HospitalFed.Transport.NodeCallFailure.Describe(refusal), Does.Contain("certificate"));
        Assert.That(federation.Orchestrator.Connected, Is.Empty);
    }
}
