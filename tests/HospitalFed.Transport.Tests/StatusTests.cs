using System.Net;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Tests.Infrastructure;

namespace HospitalFed.Transport.Tests;

/// <summary>Status in trailers, trailers-only responses, percent-encoded messages, handler failures, metadata.</summary>
public sealed class StatusTests
{
    private RpcServer _server = null!;
    private RpcChannel _channel = null!;
    private LogCollector _logs = null!;

    private static IEnumerable<StatusCode> ErrorCodes => Enum.GetValues<StatusCode>().Where(c => c != StatusCode.OK);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _logs = new LogCollector();
        _server = await TestServers.StartAsync(new MemoryBlobStore(), logs: _logs);
        _channel = TestServers.Channel(_server);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
        _logs.Dispose();
    }

    [TestCaseSource(nameof(ErrorCodes))]
    public void Echo_HandlerEndsWithStatus_ClientReceivesCodeAndDetail(StatusCode code)
    {
        var detail = $"détail {code} 100% ✓\r\n";
        var request = new EchoRequest { ResponseStatus = new EchoStatus { Code = (int)code, Message = detail } };

        var ex = Assert.ThrowsAsync<RpcException>(() => new DiagnosticsClient(_channel).EchoAsync(request, TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(code));
            Assert.That(ex.Status.Detail, Is.EqualTo(detail), "grpc-message survives percent-encoding");
        });
    }

    [Test]
    public async Task Echo_ErrorWithoutMessages_IsTrailersOnlyWithPercentEncodedMessage()
    {
        using var raw = new RawGrpc(_server.Address);
        var request = new EchoRequest { ResponseStatus = new EchoStatus { Code = 9, Message = "état 50%" } };

        var response = await raw.PostAsync("/hospitalfed.v1.Diagnostics/Echo", [RawGrpc.Frame(request)]).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.HttpStatus, Is.EqualTo(200));
            Assert.That(response.HeaderStatus, Is.EqualTo("9"));
            Assert.That(response.HeaderMessage, Is.EqualTo("%C3%A9tat 50%25"));
            Assert.That(response.TrailerStatus, Is.Null);
        });
    }

    [Test]
    public void Count_StatusAfterMessages_TravelsInTrailers()
    {
        var request = new CountRequest { Count = 3, ResponseStatus = new EchoStatus { Code = (int)StatusCode.Aborted, Message = "after three" } };
        using var call = new DiagnosticsClient(_channel).Count(request, TestServers.Bounded());
        var received = new List<uint>();

        var ex = Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var reply in call.ReadAllAsync().WithCancellation(CancellationToken.None))
            {
                received.Add(reply.Sequence);
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(received, Is.EqualTo(new uint[] { 0, 1, 2 }));
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Aborted));
            Assert.That(call.GetStatus().Detail, Is.EqualTo("after three"));
        });
    }

    [Test]
    public async Task Count_ZeroMessages_EndsOkWithTrailersOnly()
    {
        using var call = new DiagnosticsClient(_channel).Count(new CountRequest { Count = 0 }, TestServers.Bounded());

        var replies = await call.ReadAllAsync().ToListAsync().AsTask().WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(replies, Is.Empty);
            Assert.That(call.GetStatus().Code, Is.EqualTo(StatusCode.OK));
        });
    }

    [Test]
    public async Task Handler_UnexpectedException_IsUnknownWithoutLeakingDetailAndIsLogged()
    {
        var ex = Assert.ThrowsAsync<RpcException>(() => _channel.UnaryAsync(ProbeService.Throw, new EchoRequest(), TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(ex.Status.Detail, Is.EqualTo("Exception was thrown by handler."));
            Assert.That(ex.Message, Does.Not.Contain("secret-internal-detail"));
        });
        Assert.That(await _logs.WaitForAsync("Unhandled exception in the handler of /hospitalfed.test.Probe/Throw", TestServers.Timeout), Is.True);
    }

    [Test]
    public async Task Metadata_TextAndBinary_ReachTheHandler()
    {
        var headers = new Metadata { { "x-site", "site-a" }, { "trace-bin", new byte[] { 0, 1, 2, 250 } } };

        var reply = await _channel.UnaryAsync(ProbeService.Metadata, new EchoRequest(), new CallOptions(Headers: headers)).WaitAsync(TestServers.Timeout);

        Assert.That(reply.Message, Is.EqualTo("x-site=site-a;trace-bin=000102FA"));
    }

    [Test]
    public async Task Metadata_UnpaddedBase64BinaryHeader_IsDecoded()
    {
        using var raw = new RawGrpc(_server.Address);

        // "AAEC" is padded; "AAECAw" is [0,1,2,3] without its "==".
        var response = await raw.PostAsync("/hospitalfed.test.Probe/Metadata", [RawGrpc.Frame(new EchoRequest())], headers: [("trace-bin", "AAECAw")])
            .WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.TrailerStatus, Is.EqualTo("0"));
            Assert.That(EchoReply.Parser.ParseFrom(response.Body.AsSpan(5)).Message, Is.EqualTo("trace-bin=00010203"));
            Assert.That(response.Trailers["trace-bin"], Is.EqualTo("AAECAw=="), "binary trailers go out base64-encoded");
        });
    }

    [Test]
    public void Metadata_ReservedKey_IsRefused()
    {
        var metadata = new Metadata();

        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => metadata.Add("grpc-status", "0"));
            Assert.Throws<ArgumentException>(() => metadata.Add("content-type", "x"));
            Assert.Throws<ArgumentException>(() => metadata.Add("key-bin", "text"));
            Assert.Throws<ArgumentException>(() => metadata.Add("plain", new byte[1]));
        });
    }

    [Test]
    public async Task Http1Request_Gets426WithInternal()
    {
        // Kestrel only downgrades on an endpoint that also speaks HTTP/1.1: build one with the DI path.
        await using var app = await Http1App.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.Address, "/hospitalfed.v1.Diagnostics/Echo"))
        {
            Version = HttpVersion.Version11,
            Content = new ByteArrayContent(RawGrpc.Frame(new EchoRequest())),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");

        using var response = await client.SendAsync(request).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(426));
            Assert.That(response.Headers.GetValues("grpc-status").Single(), Is.EqualTo("13"));
        });
    }
}
