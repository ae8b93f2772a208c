using Grpc.Core;
using HospitalFed.Transport.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace HospitalFed.Transport.Tests;

/// <summary>The standard health service, and options validated before anything listens.</summary>
public sealed class HealthAndOptionsTests
{
    [Test]
    public async Task Check_WholeServer_IsServing()
    {
        await using var server = await TestServers.StartAsync(new MemoryBlobStore());
        using var channel = TestServers.Channel(server);

        var status = await TestHealth.CheckAsync(channel, options: TestServers.Bounded()).WaitAsync(TestServers.Timeout);

        Assert.That(status, Is.EqualTo(ServingStatus.Serving));
    }

    [Test]
    public async Task Check_UnknownService_IsNotFound()
    {
        await using var server = await TestServers.StartAsync(new MemoryBlobStore());
        using var channel = TestServers.Channel(server);

        var ex = Assert.ThrowsAsync<RpcException>(() => TestHealth.CheckAsync(channel, "hospitalfed.v1.Nothing", TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [Test]
    public async Task Watch_StatusChanges_AreStreamed()
    {
        await using var server = await TestServers.StartAsync(new MemoryBlobStore());
        var health = server.Health;
        using var channel = TestServers.Channel(server);
        using var call = TestHealth.Watch(channel, "hospitalfed.v1.Aggregator", TestServers.Bounded());
        await using var updates = call.ResponseStream.ReadAllAsync().GetAsyncEnumerator();

        Assert.That(await updates.MoveNextAsync().AsTask().WaitAsync(TestServers.Timeout), Is.True);
        var initial = updates.Current.Status;
        health.SetStatus("hospitalfed.v1.Aggregator", ServingStatus.Serving);
        Assert.That(await updates.MoveNextAsync().AsTask().WaitAsync(TestServers.Timeout), Is.True);
        var serving = updates.Current.Status;
        health.SetStatus("hospitalfed.v1.Aggregator", ServingStatus.NotServing);
        Assert.That(await updates.MoveNextAsync().AsTask().WaitAsync(TestServers.Timeout), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(initial, Is.EqualTo(ServingStatus.ServiceUnknown));
            Assert.That(serving, Is.EqualTo(ServingStatus.Serving));
            Assert.That(updates.Current.Status, Is.EqualTo(ServingStatus.NotServing));
        });
    }

    [Test]
    public void Start_InvalidHostOptions_FailsNamingEveryProblem()
    {
        using var pki = new TestPki("Options CA");
        var host = new RpcHostOptions
        {
            ListenAddress = "not-an-ip",
            Port = 70000,
            ServerCertificate = pki.Server,
            KeepAlivePingDelay = TimeSpan.FromMilliseconds(10),
        };

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => Hosting.NodeServer.StartAsync(host, new Hosting.NodeServices()).WaitAsync(TestServers.Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("RpcHostOptions.ListenAddress"));
            Assert.That(ex.Message, Does.Contain("RpcHostOptions.Port"));
            Assert.That(ex.Message, Does.Contain("RpcHostOptions.TrustedClientAuthorities"));
            Assert.That(ex.Message, Does.Contain("RpcHostOptions.KeepAlivePingDelay"));
        });
    }

    [Test]
    public void Start_NegativeMessageLimit_FailsOnStart()
    {
        var ex = Assert.ThrowsAsync<OptionsValidationException>(() =>
            Hosting.NodeServer.StartAsync(new RpcHostOptions(), new Hosting.NodeServices(), m => m.MaxReceiveMessageSize = -1).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.Message, Does.Contain("GrpcServiceOptions.MaxReceiveMessageSize"));
    }

    [TestCase("ftp://127.0.0.1:1")]
    [TestCase("/relative")]
    public void Channel_UnsupportedAddress_IsRefused(string address) =>
        Assert.Throws<ArgumentException>(() => NodeChannel.Create(new Uri(address, UriKind.RelativeOrAbsolute)));

    [Test]
    public void Channel_UnreachableServer_IsUnavailable()
    {
        using var channel = NodeChannel.Create(new Uri("http://127.0.0.1:1"));

        var ex = Assert.ThrowsAsync<RpcException>(() => TestHealth.CheckAsync(channel, options: TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(NodeCallFailure.Describe(ex, new Uri("http://127.0.0.1:1")), Does.StartWith("Unavailable: could not reach http://127.0.0.1:1"));
        });
    }
}
