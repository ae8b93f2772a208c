using System.Net;
using System.Net.Security;
using Grpc.Core;
using Grpc.Health.V1;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Tests.Infrastructure;
using DiagnosticsClient = HospitalFed.Protocol.V1.Diagnostics.DiagnosticsClient;

namespace HospitalFed.Transport.Tests;

/// <summary>Mutual TLS: both ends trust only the configured CA bundle, and refusals are clear on both ends.</summary>
public sealed class MutualTlsTests
{
    private static readonly System.Security.Cryptography.Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private TestPki _pki = null!;
    private TestPki _stranger = null!;
    private LogCollector _logs = null!;
    private Hosting.NodeServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _pki = new TestPki("HospitalFed Test Consortium");
        _stranger = new TestPki("Some Other CA");
        _logs = new LogCollector();
        _server = await TestServers.StartAsync(new MemoryBlobStore(), logs: _logs, pki: _pki);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        _logs.Dispose();
        _pki.Dispose();
        _stranger.Dispose();
    }

    [TearDown]
    public async Task ServerStillServesAsync()
    {
        using var channel = TestServers.Channel(_server, _pki);
        var status = await TestHealth.CheckAsync(channel, options: TestServers.Bounded()).WaitAsync(TestServers.Timeout);
        Assert.That(status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving), "the server keeps serving after a refusal");
    }

    [Test]
    public async Task TrustedClient_CallsEveryKind_AndTheHandlerSeesItsCertificate()
    {
        using var channel = TestServers.Channel(_server, _pki);
        var client = new DiagnosticsClient(channel);

        var echo = await client.EchoAsync(new EchoRequest { Message = "over TLS" }, TestServers.Bounded()).ResponseAsync.WaitAsync(TestServers.Timeout);
        using var count = client.Count(new CountRequest { Count = 5 }, TestServers.Bounded());
        var replies = await count.ResponseStream.ReadAllAsync().ToListAsync().AsTask().WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(_server.Address.Scheme, Is.EqualTo("https"));
            Assert.That(echo.Message, Is.EqualTo("over TLS"));
            Assert.That(replies, Has.Count.EqualTo(5));
        });
    }

    [Test]
    public async Task ClientFromUnknownCa_IsRefusedWithAClearErrorOnBothEnds()
    {
        using var foreign = _stranger.Issue("intruder.test", ClientAuth, DateTimeOffset.UtcNow.AddDays(1));
        using var channel = NodeChannel.Create(_server.Address, new RpcChannelOptions { TrustedServerAuthorities = _pki.Bundle, ClientCertificate = foreign });

        var ex = Assert.ThrowsAsync<RpcException>(() => TestHealth.CheckAsync(channel, options: TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(NodeCallFailure.Describe(ex), Does.Contain("TLS"));
            Assert.That(NodeCallFailure.Describe(ex), Does.Contain("not issued by a CA it trusts"));
            Assert.That(NodeCallFailure.Describe(ex), Does.Contain("certificate").And.Not.Contain("Exception"));
        });
        Assert.That(await _logs.WaitForAsync("certificate 'CN=intruder.test' was refused: it is not issued by a trusted CA", TestServers.Timeout), Is.True, string.Join("\n", _logs.Lines));
    }

    [Test]
    public async Task ClientWithoutCertificate_IsRefusedAndTheServerSaysSo()
    {
        // RpcChannel refuses to build such a channel; a bare HttpClient shows what the server does.
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Address, "/grpc.health.v1.Health/Check"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(RawGrpc.Frame(new HealthCheckRequest())),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");

        Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request).WaitAsync(TestServers.Timeout));
        Assert.That(await _logs.WaitForAsync("no certificate was presented", TestServers.Timeout), Is.True, string.Join("\n", _logs.Lines));
    }

    [Test]
    public void Channel_HttpsWithoutClientCertificate_IsRefusedNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => NodeChannel.Create(_server.Address, new RpcChannelOptions { TrustedServerAuthorities = _pki.Bundle }));

        Assert.That(ex!.Message, Does.Contain(nameof(RpcChannelOptions.ClientCertificate)));
    }

    [Test]
    public void ServerFromUnknownCa_IsRefusedByTheClientWithTheReason()
    {
        using var channel = NodeChannel.Create(_server.Address, new RpcChannelOptions { TrustedServerAuthorities = _stranger.Bundle, ClientCertificate = _pki.Client });

        var ex = Assert.ThrowsAsync<RpcException>(() => TestHealth.CheckAsync(channel, options: TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(NodeCallFailure.Describe(ex), Does.StartWith($"Unavailable: could not reach {_server.Address.GetLeftPart(UriPartial.Authority)}: the node's TLS certificate was refused: certificate 'CN=node.test'"));
            Assert.That(NodeCallFailure.Describe(ex), Does.Contain("it is not issued by a trusted CA").And.Not.Contain("Exception"));
        });
    }

    [Test]
    public void ClientCertificateWithoutClientAuthUsage_IsRefused()
    {
        // The server's own certificate is issued by the right CA but only for serverAuth.
        using var channel = NodeChannel.Create(_server.Address, new RpcChannelOptions { TrustedServerAuthorities = _pki.Bundle, ClientCertificate = _pki.Server });

        var ex = Assert.ThrowsAsync<RpcException>(() => TestHealth.CheckAsync(channel, options: TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    [Test]
    public async Task ClientCertificatePolicy_RefusesAChainValidCertificate()
    {
        var host = new RpcHostOptions
        {
            ServerCertificate = _pki.Server,
            TrustedClientAuthorities = _pki.Bundle,
            ClientCertificatePolicy = c => c.Subject == "CN=site-a.test" ? "site-a is suspended" : null,
        };
        using var logs = new LogCollector();
        await using var server = await Hosting.NodeServer.StartAsync(host, new Hosting.NodeServices(), logs: logs).WaitAsync(TestServers.Timeout);
        using var channel = TestServers.Channel(server, _pki);

        var ex = Assert.ThrowsAsync<RpcException>(() => TestHealth.CheckAsync(channel, options: TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        Assert.That(await logs.WaitForAsync("site-a is suspended", TestServers.Timeout), Is.True);
    }

    [TestCase(true, "received PING frame .* flags NONE", TestName = "LongIdleStream_ClientKeepAlive_ClientPingsAndTheStreamStaysOpen")]
    [TestCase(false, "received PING frame .* flags ACK", TestName = "LongIdleStream_ServerKeepAlive_ServerPingsAndTheStreamStaysOpen")]
    public async Task LongIdleStream_KeepAlivePings(bool clientPings, string expectedFrame)
    {
        // The stream idles for 6 s between two messages with 1 s ping delays. HTTP/2 pings only when the
        // connection is idle, so when the client pings every second the server never needs to: each side
        // is checked on its own. Kestrel's frame trace shows the PING frames (RFC 9113 6.7). The idle gap
        // is several of Kestrel's 1 s heartbeats long because SocketsHttpHandler may still send its own
        // RTT-estimation PING early in the stream, which restarts the server's idle clock.
        using var frames = new LogCollector(Microsoft.Extensions.Logging.LogLevel.Trace);
        await using var server = await TestServers.StartAsync(new MemoryBlobStore(), pki: _pki, keepAlive: TimeSpan.FromSeconds(1), logs: frames);
        using var channel = TestServers.Channel(server, _pki, o =>
        {
            o.KeepAlivePingDelay = clientPings ? TimeSpan.FromSeconds(1) : Timeout.InfiniteTimeSpan;
            o.KeepAlivePingTimeout = TimeSpan.FromSeconds(1);
        });
        using var call = new DiagnosticsClient(channel).Count(new CountRequest { Count = 2, IntervalMs = 6000 }, TestServers.Bounded());

        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync().AsTask().WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(replies.Select(r => r.Sequence), Is.EqualTo(new uint[] { 0, 1 }));
            Assert.That(frames.Lines, Has.Some.Match(expectedFrame), string.Join("\n", frames.Lines.Where(l => l.Contains("PING", StringComparison.Ordinal))));
        });
    }

    [Test]
    public void CertificateBundle_MissingOrEmptyFile_FailsNamingTheFile()
    {
        var empty = Path.GetTempFileName();
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(Assert.Throws<FileNotFoundException>(() => CertificateBundle.LoadCaBundle(empty + ".missing"))!.Message, Does.Contain(".missing"));
                Assert.That(Assert.Throws<InvalidDataException>(() => CertificateBundle.LoadCaBundle(empty))!.Message, Does.Contain(empty));
            });
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Test]
    public void CertificateBundle_PemFiles_LoadTheRootAndACertificateWithItsKey()
    {
        var directory = Directory.CreateTempSubdirectory("hfed-pem-").FullName;
        try
        {
            _pki.WritePem(directory, _pki.Client, "client");

            var bundle = CertificateBundle.LoadCaBundle(Path.Combine(directory, "ca.pem"));
            using var loaded = CertificateBundle.LoadCertificateWithKey(Path.Combine(directory, "client.pem"), Path.Combine(directory, "client.key"));

            Assert.Multiple(() =>
            {
                Assert.That(bundle.Single().Thumbprint, Is.EqualTo(_pki.Root.Thumbprint));
                Assert.That(loaded.HasPrivateKey, Is.True);
                Assert.That(loaded.Thumbprint, Is.EqualTo(_pki.Client.Thumbprint));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
