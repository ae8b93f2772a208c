using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Tests.Infrastructure;

namespace HospitalFed.Transport.Tests;

/// <summary>grpc-timeout on both sides, client cancellation mid-stream, and the handler's token.</summary>
public sealed class DeadlineAndCancellationTests
{
    private RpcServer _server = null!;
    private RpcChannel _channel = null!;
    private ProbeService _probe = null!;
    private LogCollector _logs = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _probe = new ProbeService();
        _logs = new LogCollector();
        _server = await TestServers.StartAsync(new MemoryBlobStore(), _probe, logs: _logs);
        _channel = TestServers.Channel(_server);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
        _logs.Dispose();
    }

    [SetUp]
    public void ResetProbe() => _probe.Reset();

    [TearDown]
    public async Task ServerStillServesAsync()
    {
        var reply = await new DiagnosticsClient(_channel).EchoAsync(new EchoRequest { Message = "ok" }, TestServers.Bounded()).WaitAsync(TestServers.Timeout);
        Assert.That(reply.Message, Is.EqualTo("ok"));
    }

    [Test]
    public async Task ServerDeadline_RawRequestWithTimeout_EndsWithDeadlineExceededAndCancelsHandler()
    {
        // No client-side timer here: only the server's grpc-timeout handling can end this call.
        using var raw = new RawGrpc(_server.Address);

        var response = await raw.PostAsync("/hospitalfed.test.Probe/Hang", [RawGrpc.Frame(new EchoRequest())], headers: [("grpc-timeout", "200m")])
            .WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.HttpStatus, Is.EqualTo(200));
            Assert.That(response.GrpcStatus, Is.EqualTo("4"));
            Assert.That(response.Body, Is.Empty, "nothing is written after the deadline");
        });
        Assert.That(await _probe.Cancelled.WaitAsync(TestServers.Timeout), Is.EqualTo("Hang"));
        Assert.That(await _logs.WaitForAsync("/hospitalfed.test.Probe/Hang exceeded its deadline", TestServers.Timeout), Is.True);
    }

    [Test]
    public async Task ServerDeadline_StreamingHandlerMidStream_StopsTheStreamWithDeadlineExceeded()
    {
        using var raw = new RawGrpc(_server.Address);

        var response = await raw.PostAsync("/hospitalfed.test.Probe/Stream", [RawGrpc.Frame(new CountRequest())], headers: [("grpc-timeout", "1S")])
            .WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.TrailerStatus, Is.EqualTo("4"), "messages were sent, so the status is a trailer");
            Assert.That(response.Body, Is.Not.Empty);
            Assert.That(WholeFrames(response.Body), Is.GreaterThan(0), "only whole frames: nothing is cut by the reset");
        });
        Assert.That(await _probe.Cancelled.WaitAsync(TestServers.Timeout), Is.EqualTo("Stream"));
    }

    [Test]
    public async Task InvalidGrpcTimeout_IsIgnored()
    {
        using var raw = new RawGrpc(_server.Address);

        var response = await raw.PostAsync("/hospitalfed.v1.Diagnostics/Echo", [RawGrpc.Frame(new EchoRequest { Message = "x" })], headers: [("grpc-timeout", "soon")])
            .WaitAsync(TestServers.Timeout);

        Assert.That(response.TrailerStatus, Is.EqualTo("0"));
    }

    [Test]
    public void ClientDeadline_SlowUnary_IsDeadlineExceeded()
    {
        var request = new EchoRequest { DelayMs = 10_000 };

        var ex = Assert.ThrowsAsync<RpcException>(() => new DiagnosticsClient(_channel)
            .EchoAsync(request, new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(250))).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
    }

    [Test]
    public async Task ClientDeadline_ServerStreamingMidStream_IsDeadlineExceededAfterSomeMessages()
    {
        using var call = new DiagnosticsClient(_channel).Count(
            new CountRequest { Count = 1000, IntervalMs = 20 },
            new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(1500)));
        var received = 0;

        var ex = Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ReadAllAsync())
            {
                received++;
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
            Assert.That(received, Is.GreaterThan(0).And.LessThan(1000));
        });
        await Task.CompletedTask;
    }

    [Test]
    public async Task ClientCancel_MidServerStream_IsCancelledAndTheHandlerSeesIt()
    {
        using var cts = new CancellationTokenSource();
        using var call = _channel.ServerStreaming(ProbeService.Stream, new CountRequest(), new CallOptions(CancellationToken: cts.Token));
        var received = 0;

        var ex = Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ReadAllAsync())
            {
                if (++received == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Cancelled));
        Assert.That(await _probe.Cancelled.WaitAsync(TestServers.Timeout), Is.EqualTo("Stream"), "the stream reset reaches the handler's token");
        var readAgain = Assert.ThrowsAsync<RpcException>(async () => await call.ReadAllAsync().ToListAsync());
        Assert.That(readAgain!.StatusCode, Is.EqualTo(StatusCode.Cancelled), "a failed call never looks like a clean end");
    }

    [Test]
    public async Task ClientCancel_MidClientStream_IsCancelledAndTheHandlerSeesIt()
    {
        using var cts = new CancellationTokenSource();
        using var call = _channel.ClientStreaming(ProbeService.Collect, new CallOptions(CancellationToken: cts.Token));
        await call.RequestStream.WriteAsync(new EchoRequest { Message = "1" }).WaitAsync(TestServers.Timeout);
        await call.RequestStream.WriteAsync(new EchoRequest { Message = "2" }).WaitAsync(TestServers.Timeout);

        await cts.CancelAsync();

        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestServers.Timeout));
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Cancelled));
        Assert.That(await _probe.Cancelled.WaitAsync(TestServers.Timeout), Is.EqualTo("Collect"));
        var writeAfterCancel = Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new EchoRequest()).WaitAsync(TestServers.Timeout));
        Assert.That(writeAfterCancel!.StatusCode, Is.EqualTo(StatusCode.Cancelled));
    }

    [Test]
    public async Task ClientDispose_BeforeTheResponse_ResetsTheStream()
    {
        var call = _channel.ServerStreaming(ProbeService.Stream, new CountRequest(), TestServers.Bounded());
        await using (var reader = call.ReadAllAsync().GetAsyncEnumerator())
        {
            Assert.That(await reader.MoveNextAsync().AsTask().WaitAsync(TestServers.Timeout), Is.True);
        }

        call.Dispose();

        Assert.That(await _probe.Cancelled.WaitAsync(TestServers.Timeout), Is.EqualTo("Stream"));
    }

    private static int WholeFrames(byte[] body)
    {
        var frames = 0;
        var offset = 0;
        while (offset < body.Length)
        {
            Assert.That(body.Length - offset, Is.GreaterThanOrEqualTo(5), "a frame header was cut");
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(offset + 1));
            offset += 5 + length;
            frames++;
        }

        Assert.That(offset, Is.EqualTo(body.Length), "a frame payload was cut");
        return frames;
    }
}
