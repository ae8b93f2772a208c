using Google.Protobuf;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace HospitalFed.Transport.Tests;

/// <summary>The client's status resolution order (GRPC-WIRE.md "Client status resolution") against a rogue server.</summary>
public sealed class ClientStatusResolutionTests
{
    [TestCase(400, StatusCode.Internal)]
    [TestCase(431, StatusCode.Internal)]
    [TestCase(401, StatusCode.Unauthenticated)]
    [TestCase(403, StatusCode.PermissionDenied)]
    [TestCase(404, StatusCode.Unimplemented)]
    [TestCase(429, StatusCode.Unavailable)]
    [TestCase(502, StatusCode.Unavailable)]
    [TestCase(503, StatusCode.Unavailable)]
    [TestCase(504, StatusCode.Unavailable)]
    [TestCase(500, StatusCode.Unknown)]
    [TestCase(418, StatusCode.Unknown)]
    public async Task NonOkHttpStatus_MapsToGrpcStatus(int httpStatus, StatusCode expected)
    {
        await using var rogue = await RogueServer.StartAsync(http =>
        {
            http.Response.StatusCode = httpStatus;
            return Task.CompletedTask;
        });

        Assert.That(await StatusOfEchoAsync(rogue), Is.EqualTo(expected));
    }

    [Test]
    public async Task GrpcStatusInHeaders_IsFinalEvenWithNonOkHttpStatus()
    {
        await using var rogue = await RogueServer.StartAsync(http =>
        {
            http.Response.StatusCode = 503;
            http.Response.Headers["grpc-status"] = "7";
            return Task.CompletedTask;
        });

        Assert.That(await StatusOfEchoAsync(rogue), Is.EqualTo(StatusCode.PermissionDenied));
    }

    [Test]
    public async Task WrongContentType_IsCancelled()
    {
        await using var rogue = await RogueServer.StartAsync(http =>
        {
            http.Response.ContentType = "text/html";
            return http.Response.WriteAsync("<html/>");
        });

        Assert.That(await StatusOfEchoAsync(rogue), Is.EqualTo(StatusCode.Cancelled));
    }

    [Test]
    public async Task BodyWithoutGrpcStatus_IsCancelled()
    {
        await using var rogue = await RogueServer.StartAsync(async http =>
        {
            http.Response.ContentType = "application/grpc";
            await http.Response.Body.WriteAsync(RawGrpc.Frame(new EchoReply { Message = "no status follows" }));
        });

        Assert.That(await StatusOfEchoAsync(rogue), Is.EqualTo(StatusCode.Cancelled));
    }

    [Test]
    public async Task UnaryOkWithoutMessage_IsInternal()
    {
        await using var rogue = await RogueServer.StartAsync(http =>
        {
            http.Response.ContentType = "application/grpc";
            http.Response.Headers["grpc-status"] = "0";
            return Task.CompletedTask;
        });

        Assert.That(await StatusOfEchoAsync(rogue), Is.EqualTo(StatusCode.Internal));
    }

    [Test]
    public async Task UnaryWithTwoMessages_IsInternal()
    {
        await using var rogue = await RogueServer.StartAsync(async http =>
        {
            http.Response.ContentType = "application/grpc";
            var frame = RawGrpc.Frame(new EchoReply { Message = "twice" });
            await http.Response.Body.WriteAsync(frame);
            await http.Response.Body.WriteAsync(frame);
            http.Response.AppendTrailer("grpc-status", "0");
        });

        Assert.That(await StatusOfEchoAsync(rogue), Is.EqualTo(StatusCode.Internal));
    }

    [Test]
    public async Task CompressedResponseFrame_IsInternal()
    {
        await using var rogue = await RogueServer.StartAsync(async http =>
        {
            http.Response.ContentType = "application/grpc";
            await http.Response.Body.WriteAsync(RawGrpc.Frame(new EchoReply { Message = "x" }, flag: 1));
            http.Response.AppendTrailer("grpc-status", "0");
        });

        Assert.That(await StatusOfEchoAsync(rogue), Is.EqualTo(StatusCode.Internal));
    }

    [Test]
    public async Task TruncatedResponseFrame_IsInternalIncompleteMessage()
    {
        await using var rogue = await RogueServer.StartAsync(async http =>
        {
            http.Response.ContentType = "application/grpc";
            await http.Response.Body.WriteAsync(RawGrpc.Frame(new EchoReply { Message = "cut short" }).AsMemory(0, 8));
            http.Response.AppendTrailer("grpc-status", "0");
        });

        var ex = Assert.ThrowsAsync<RpcException>(() => EchoAsync(rogue));

        Assert.That(ex!.Status, Is.EqualTo(new Status(StatusCode.Internal, "Incomplete message.")));
    }

    [Test]
    public async Task InvalidGrpcStatusValue_IsUnknown()
    {
        await using var rogue = await RogueServer.StartAsync(http =>
        {
            http.Response.ContentType = "application/grpc";
            http.Response.Headers["grpc-status"] = "banana";
            return Task.CompletedTask;
        });

        Assert.That(await StatusOfEchoAsync(rogue), Is.EqualTo(StatusCode.Unknown));
    }

    [Test]
    public async Task ServerNeverAnswers_ClientDeadlineIsDeadlineExceeded()
    {
        string? sentTimeout = null;
        await using var rogue = await RogueServer.StartAsync(async http =>
        {
            sentTimeout = http.Request.Headers["grpc-timeout"];
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        });
        using var channel = RpcChannel.Create(rogue.Address);

        var ex = Assert.ThrowsAsync<RpcException>(() => new DiagnosticsClient(channel)
            .EchoAsync(new EchoRequest(), new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(300))).WaitAsync(TestServers.Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded), "the local timer fires: the server sent nothing");
            Assert.That(sentTimeout, Does.Match("^[0-9]{1,8}[HMSmun]$"));
        });
    }

    [Test]
    public async Task DeadlineAlreadyPassed_SendsOneNanosecondAndFails()
    {
        string? sentTimeout = null;
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var rogue = await RogueServer.StartAsync(http =>
        {
            sentTimeout = http.Request.Headers["grpc-timeout"];
            received.TrySetResult();
            http.Response.ContentType = "application/grpc";
            http.Response.Headers["grpc-status"] = "4";
            return Task.CompletedTask;
        });
        using var channel = RpcChannel.Create(rogue.Address);

        var ex = Assert.ThrowsAsync<RpcException>(() => new DiagnosticsClient(channel)
            .EchoAsync(new EchoRequest(), new CallOptions(Deadline: DateTimeOffset.UtcNow.AddSeconds(-1))).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
        if (await Task.WhenAny(received.Task, Task.Delay(TimeSpan.FromSeconds(2))) == received.Task)
        {
            Assert.That(sentTimeout, Is.EqualTo("1n"));
        }
    }

    private static async Task<StatusCode> StatusOfEchoAsync(RogueServer rogue)
    {
        try
        {
            await EchoAsync(rogue);
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    private static async Task<EchoReply> EchoAsync(RogueServer rogue)
    {
        using var channel = RpcChannel.Create(rogue.Address);
        return await new DiagnosticsClient(channel)
            .EchoAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("x") }, TestServers.Bounded())
            .WaitAsync(TestServers.Timeout);
    }
}
