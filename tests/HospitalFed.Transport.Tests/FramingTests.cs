using System.Net;
using Google.Protobuf;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Tests.Infrastructure;

namespace HospitalFed.Transport.Tests;

/// <summary>Length-prefixed framing (PROTOCOL-HTTP2.md "Length-Prefixed-Message"), checked with raw HTTP/2 requests.</summary>
public sealed class FramingTests
{
    private const int MaxSize = 64 * 1024;
    private const string EchoPath = "/hospitalfed.v1.Diagnostics/Echo";

    private RpcServer _server = null!;
    private RpcChannel _channel = null!;
    private RawGrpc _raw = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServers.StartAsync(new MemoryBlobStore(), messages: m => m.MaxReceiveMessageSize = MaxSize);
        _channel = TestServers.Channel(_server, configure: o => o.MaxSendMessageSize = 4 * MaxSize);
        _raw = new RawGrpc(_server.Address);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _raw.Dispose();
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [TearDown]
    public async Task ServerStillServesAsync()
    {
        var reply = await new DiagnosticsClient(_channel).EchoAsync(new EchoRequest { Message = "still here" }, TestServers.Bounded()).WaitAsync(TestServers.Timeout);
        Assert.That(reply.Message, Is.EqualTo("still here"), "the server must keep serving after a bad request");
    }

    [Test]
    public async Task Echo_EmptyMessage_RoundTripsAsZeroLengthFrames()
    {
        var response = await _raw.PostAsync(EchoPath, [RawGrpc.Frame([])]).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.HttpStatus, Is.EqualTo(200));
            Assert.That(response.TrailerStatus, Is.EqualTo("0"));
            Assert.That(response.Body, Is.EqualTo(new byte[] { 0, 0, 0, 0, 0 }), "an empty reply is one frame of length 0");
        });
    }

    [Test]
    public async Task Echo_MessageOfExactlyMaxSize_IsAccepted()
    {
        var request = RequestOfSize(MaxSize);

        var reply = await new DiagnosticsClient(_channel).EchoAsync(request, TestServers.Bounded()).WaitAsync(TestServers.Timeout);

        Assert.That(reply.Payload, Is.EqualTo(request.Payload));
    }

    [Test]
    public void Echo_MessageOneByteOverMaxSize_IsResourceExhausted()
    {
        var request = RequestOfSize(MaxSize + 1);

        var ex = Assert.ThrowsAsync<RpcException>(() => new DiagnosticsClient(_channel).EchoAsync(request, TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
            Assert.That(ex.Status.Detail, Is.EqualTo("Received message exceeds the maximum configured message size."));
        });
    }

    [Test]
    public async Task Echo_OversizedDeclaredLength_IsRefusedBeforeThePayloadArrives()
    {
        // Only the 5-byte header is sent: the server must decide from the declared length alone.
        var response = await _raw.PostAsync(EchoPath, [RawGrpc.Frame([], declaredLength: int.MaxValue)]).WaitAsync(TestServers.Timeout);

        Assert.That(response.GrpcStatus, Is.EqualTo("8"));
    }

    [Test]
    public async Task Echo_FrameSplitAcrossManyReads_IsReassembled()
    {
        var frame = RawGrpc.Frame(new EchoRequest { Message = "split", Payload = ByteString.CopyFrom(new byte[300]) });
        var pieces = frame.Chunk(7).ToList(); // header split too: 7-byte pieces cut it after 5 bytes and mid-payload

        var response = await _raw.PostAsync(EchoPath, pieces).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.TrailerStatus, Is.EqualTo("0"));
            Assert.That(EchoReply.Parser.ParseFrom(response.Body.AsSpan(5)).Message, Is.EqualTo("split"));
        });
    }

    [Test]
    public async Task Echo_InvalidCompressedFlag_IsInternal()
    {
        var response = await _raw.PostAsync(EchoPath, [RawGrpc.Frame(new EchoRequest(), flag: 2)]).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.GrpcStatus, Is.EqualTo("13"));
            Assert.That(response.GrpcMessage, Does.Contain("compressed flag"));
        });
    }

    [Test]
    public async Task Echo_CompressedFlagWithoutEncoding_IsInternal()
    {
        var response = await _raw.PostAsync(EchoPath, [RawGrpc.Frame(new EchoRequest { Message = "x" }, flag: 1)]).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.GrpcStatus, Is.EqualTo("13"));
            Assert.That(response.GrpcMessage, Does.Contain("grpc-encoding"));
        });
    }

    [Test]
    public async Task Echo_CompressedWithUnsupportedCodec_IsUnimplementedListingIdentity()
    {
        var response = await _raw.PostAsync(EchoPath, [RawGrpc.Frame(new EchoRequest { Message = "x" }, flag: 1)], headers: [("grpc-encoding", "gzip")])
            .WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.GrpcStatus, Is.EqualTo("12"));
            Assert.That(response.AcceptEncoding, Is.EqualTo("identity"));
        });
    }

    [Test]
    public async Task Echo_UncompressedFrameWithEncodingHeader_IsAccepted()
    {
        // grpc-encoding names what compressed frames would use; flag 0 frames stay readable.
        var response = await _raw.PostAsync(EchoPath, [RawGrpc.Frame(new EchoRequest { Message = "plain" })], headers: [("grpc-encoding", "gzip")])
            .WaitAsync(TestServers.Timeout);

        Assert.That(response.TrailerStatus, Is.EqualTo("0"));
    }

    [Test]
    public async Task Echo_ExtraDataAfterTheMessage_IsInternal()
    {
        var frame = RawGrpc.Frame(new EchoRequest { Message = "one" });

        var response = await _raw.PostAsync(EchoPath, [frame, frame]).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.GrpcStatus, Is.EqualTo("13"));
            Assert.That(response.GrpcMessage, Is.EqualTo("Additional data after the message received."));
        });
    }

    [TestCase(3, TestName = "Echo_BodyEndsInsideTheHeader_IsIncompleteMessage")]
    [TestCase(9, TestName = "Echo_BodyEndsInsideThePayload_IsIncompleteMessage")]
    public async Task Echo_TruncatedFrame_IsIncompleteMessage(int keep)
    {
        var frame = RawGrpc.Frame(new EchoRequest { Message = "truncated message" });

        var response = await _raw.PostAsync(EchoPath, [frame[..keep]]).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.GrpcStatus, Is.EqualTo("13"));
            Assert.That(response.GrpcMessage, Is.EqualTo("Incomplete message."));
        });
    }

    [Test]
    public async Task Echo_EmptyBody_IsIncompleteMessage()
    {
        var response = await _raw.PostAsync(EchoPath, []).WaitAsync(TestServers.Timeout);

        Assert.That(response.GrpcMessage, Is.EqualTo("Incomplete message."));
    }

    [Test]
    public async Task Echo_PayloadThatIsNotProtobuf_IsInternal()
    {
        var response = await _raw.PostAsync(EchoPath, [RawGrpc.Frame([0xFF, 0xFF, 0xFF])]).WaitAsync(TestServers.Timeout);

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
    }

    [TestCase(null, TestName = "Request_WithoutContentType_Is415WithInternal")]
    [TestCase("application/json", TestName = "Request_WithJsonContentType_Is415WithInternal")]
    public async Task Request_WrongContentType_Is415(string? contentType)
    {
        var response = await _raw.PostAsync(EchoPath, [RawGrpc.Frame(new EchoRequest())], contentType).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.HttpStatus, Is.EqualTo((int)HttpStatusCode.UnsupportedMediaType));
            Assert.That(response.HeaderStatus, Is.EqualTo("13"));
        });
    }

    [TestCase("application/grpc+proto")]
    [TestCase("application/grpc; charset=utf-8")]
    public async Task Request_ContentTypeVariants_AreAccepted(string contentType)
    {
        var response = await _raw.PostAsync(EchoPath, [RawGrpc.Frame(new EchoRequest { Message = "v" })], contentType).WaitAsync(TestServers.Timeout);

        Assert.That(response.TrailerStatus, Is.EqualTo("0"));
    }

    [TestCase("/hospitalfed.v1.Diagnostics/Nope", "Method is unimplemented.")]
    [TestCase("/hospitalfed.v1.Nothing/Echo", "Service is unimplemented.")]
    public async Task Request_UnknownMethod_IsUnimplementedTrailersOnly(string path, string detail)
    {
        var response = await _raw.PostAsync(path, [RawGrpc.Frame(new EchoRequest())]).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(response.HttpStatus, Is.EqualTo(200));
            Assert.That(response.HeaderStatus, Is.EqualTo("12"), "trailers-only: the status is in the headers");
            Assert.That(response.HeaderMessage, Is.EqualTo(detail));
            Assert.That(response.Body, Is.Empty);
        });
    }

    [Test]
    public void Client_UnknownMethod_IsUnimplemented()
    {
        var method = new Method<EchoRequest, EchoReply>(MethodType.Unary, "hospitalfed.v1.Diagnostics", "Missing", EchoRequest.Parser, EchoReply.Parser);

        var ex = Assert.ThrowsAsync<RpcException>(() => _channel.UnaryAsync(method, new EchoRequest(), TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    [Test]
    public void Client_ResponseLargerThanItsLimit_IsResourceExhausted()
    {
        using var small = TestServers.Channel(_server, configure: o => o.MaxReceiveMessageSize = 1024);

        var ex = Assert.ThrowsAsync<RpcException>(() => new DiagnosticsClient(small).EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2048]) }, TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
    }

    [Test]
    public void Client_RequestLargerThanItsSendLimit_IsResourceExhaustedBeforeSending()
    {
        using var small = TestServers.Channel(_server, configure: o => o.MaxSendMessageSize = 1024);

        var ex = Assert.ThrowsAsync<RpcException>(() => new DiagnosticsClient(small).EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2048]) }, TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.Status.Detail, Is.EqualTo("Sending message exceeds the maximum configured message size."));
    }

    [Test]
    public async Task Sum_OneOversizedMessageInAStream_IsResourceExhausted()
    {
        using var call = new DiagnosticsClient(_channel).Sum(TestServers.Bounded());
        try
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[10]) }).WaitAsync(TestServers.Timeout);
            await call.RequestStream.WriteAsync(RequestOfSize(MaxSize + 1)).WaitAsync(TestServers.Timeout);
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server may end the call while a write is in flight; the response says why.
        }

        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestServers.Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
    }

    private static EchoRequest RequestOfSize(int size)
    {
        // payload field: tag (1 byte) + length varint + bytes; find the payload length giving exactly `size`.
        var request = new EchoRequest();
        for (var payload = size; payload > 0; payload--)
        {
            request.Payload = ByteString.CopyFrom(new byte[payload]);
            if (request.CalculateSize() == size)
            {
                return request;
            }
        }

        throw new InvalidOperationException($"No payload gives a message of {size} bytes.");
    }
}
