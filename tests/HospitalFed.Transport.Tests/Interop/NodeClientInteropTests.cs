using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Tests.Infrastructure;
using DiagnosticsStub = HospitalFed.Protocol.V1.Diagnostics.DiagnosticsClient;
using HealthStub = Grpc.Health.V1.Health.HealthClient;

namespace HospitalFed.Transport.Tests.Interop;

/// <summary>
/// Our grpc-dotnet clients (generated stubs and <see cref="VerifiedBlobClient"/> over <see cref="NodeChannel"/>)
/// calling a grpcio server (C core, Debian's python3-grpcio), over h2c and mutual TLS: every call kind,
/// status with a non-ASCII message, deadlines and an unknown method. Inconclusive, with the install
/// command, on a machine without the peer.
/// </summary>
[NonParallelizable]
internal sealed class NodeClientInteropTests() : InteropFixture("Node interop CA")
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    [TestCase(false, TestName = "NodeClient_CallsPythonServer_OverH2c_EveryCallKindWorks")]
    [TestCase(true, TestName = "NodeClient_CallsPythonServer_OverMutualTls_EveryCallKindWorks")]
    public async Task NodeClient_CallsPythonServer(bool tls)
    {
        PythonPeer.RequireInterpreter();
        using var python = await PythonServer.StartAsync(Descriptors, ServerTls(tls));
        using var channel = Channel(python, tls);
        var diagnostics = new DiagnosticsStub(channel);
        var options = Bounded();

        var health = await new HealthStub(channel).CheckAsync(new HealthCheckRequest(), options).ResponseAsync.WaitAsync(Timeout);
        var echo = await diagnostics.EchoAsync(new EchoRequest { Message = "from .NET" }, options).ResponseAsync.WaitAsync(Timeout);
        using var count = diagnostics.Count(new CountRequest { Count = 4, PayloadSize = 100 }, options);
        var counted = await count.ResponseStream.ReadAllAsync().ToListAsync().AsTask().WaitAsync(Timeout);
        using var sum = diagnostics.Sum(options);
        await sum.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[7]) }).WaitAsync(Timeout);
        await sum.RequestStream.WriteAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[5]) }).WaitAsync(Timeout);
        await sum.RequestStream.CompleteAsync().WaitAsync(Timeout);
        var summed = await sum.ResponseAsync.WaitAsync(Timeout);
        using var chat = diagnostics.Chat(options);
        await chat.RequestStream.WriteAsync(new EchoRequest { Message = "a" }).WaitAsync(Timeout);
        await chat.RequestStream.WriteAsync(new EchoRequest { Message = "b" }).WaitAsync(Timeout);
        await chat.RequestStream.CompleteAsync().WaitAsync(Timeout);
        var chatted = await chat.ResponseStream.ReadAllAsync().ToListAsync().AsTask().WaitAsync(Timeout);
        var failed = Assert.ThrowsAsync<RpcException>(() => diagnostics.EchoAsync(
            new EchoRequest { ResponseStatus = new EchoStatus { Code = 7, Message = "refusé 100%" } }, options).ResponseAsync.WaitAsync(Timeout));
        var late = Assert.ThrowsAsync<RpcException>(() => diagnostics.EchoAsync(
            new EchoRequest { DelayMs = 3000 }, new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(300))).ResponseAsync.WaitAsync(Timeout));
        var missingMethod = new Method<EchoRequest, EchoReply>(MethodType.Unary, "hospitalfed.v1.Diagnostics", "DoesNotExist", Marshallers.Create(m => m.ToByteArray(), EchoRequest.Parser.ParseFrom), Marshallers.Create(m => m.ToByteArray(), EchoReply.Parser.ParseFrom));
        var missing = Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(missingMethod, null, options, new EchoRequest()).ResponseAsync.WaitAsync(Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
            Assert.That(echo.Message, Is.EqualTo("from .NET"));
            Assert.That(counted.Select(r => r.Sequence), Is.EqualTo(new uint[] { 0, 1, 2, 3 }));
            Assert.That(summed.PayloadBytes, Is.EqualTo(12));
            Assert.That(chatted.Select(r => r.Message), Is.EqualTo(new[] { "a", "b" }));
            Assert.That((failed!.StatusCode, failed.Status.Detail), Is.EqualTo((StatusCode.PermissionDenied, "refusé 100%")));
            Assert.That(late!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
            Assert.That(missing!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
        });
    }

    [TestCase(false, TestName = "VerifiedBlobClient_AgainstPythonServer_OverH2c_VerifiesDigestsBothWays")]
    [TestCase(true, TestName = "VerifiedBlobClient_AgainstPythonServer_OverMutualTls_VerifiesDigestsBothWays")]
    public async Task VerifiedBlobClient_AgainstPythonServer(bool tls)
    {
        PythonPeer.RequireInterpreter();
        using var python = await PythonServer.StartAsync(Descriptors, ServerTls(tls));
        using var channel = Channel(python, tls);
        var blobs = new VerifiedBlobClient(channel);
        const int Length = (8 * 1024 * 1024) + 3;

        var uploaded = await blobs.UploadAsync("from-dotnet", GeneratedStream.Pseudorandom(Length), Bounded()).WaitAsync(Timeout);
        using var copy = new MemoryStream();
        var downloaded = await blobs.DownloadAsync("generated-" + Length, copy, Bounded()).WaitAsync(Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(uploaded.Length, Is.EqualTo((ulong)Length));
            Assert.That(downloaded.Length, Is.EqualTo((ulong)Length));
            Assert.That(downloaded.Sha256.ToByteArray(), Is.EqualTo(SHA256.HashData(copy.ToArray())));
        });
    }

    [Test]
    public async Task NodeChannel_PythonServerCertificateFromAnotherCa_FailsNamingTheTlsRefusal()
    {
        PythonPeer.RequireInterpreter();
        using var python = await PythonServer.StartAsync(Descriptors, ServerTls(true));
        using var stranger = new TestPki("Stranger CA");
        var address = new Uri($"https://localhost:{python.Port}");
        using var channel = NodeChannel.Create(address, new RpcChannelOptions { TrustedServerAuthorities = stranger.Bundle, ClientCertificate = Pki.Client });

        var ex = Assert.ThrowsAsync<RpcException>(() => new HealthStub(channel).CheckAsync(new HealthCheckRequest(), Bounded()).ResponseAsync.WaitAsync(Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(NodeCallFailure.Describe(ex), Does.StartWith($"Unavailable: could not reach https://localhost:{python.Port}: the node's TLS certificate was refused: certificate 'CN="));
            Assert.That(NodeCallFailure.Describe(ex), Does.Contain("it is not issued by a trusted CA").And.Not.Contain("Exception"));
        });
    }

    private static CallOptions Bounded() => new(cancellationToken: new CancellationTokenSource(Timeout).Token);

    private string[]? ServerTls(bool tls) => tls
        ? [Path.Combine(WorkDirectory, "ca.pem"), Path.Combine(WorkDirectory, "server.pem"), Path.Combine(WorkDirectory, "server.key")]
        : null;

    private GrpcChannel Channel(PythonServer python, bool tls) => tls
        ? NodeChannel.Create(new Uri($"https://localhost:{python.Port}"), new RpcChannelOptions { TrustedServerAuthorities = Pki.Bundle, ClientCertificate = Pki.Client })
        : NodeChannel.Create(new Uri($"http://127.0.0.1:{python.Port}"));
}
