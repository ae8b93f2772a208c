using System.Security.Cryptography;
using Grpc.Health.V1;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Health;
using HospitalFed.Transport.Tests.Infrastructure;

namespace HospitalFed.Transport.Tests.Interop;

/// <summary>
/// Interoperability with grpcio (C core, from Debian's python3-grpcio) in both directions, over h2c and
/// mutual TLS. Inconclusive, with the install command, on a machine without the peer.
/// </summary>
[NonParallelizable]
public sealed class PythonInteropTests
{
    private string _directory = null!;
    private string _descriptors = null!;
    private TestPki _pki = null!;

    [OneTimeSetUp]
    public void Prepare()
    {
        _directory = Directory.CreateTempSubdirectory("hfed-interop-").FullName;
        _descriptors = Path.Combine(_directory, "hospitalfed.protoset");
        ProtoDescriptors.Write(_descriptors);
        _pki = new TestPki("Interop CA");
        _pki.WritePem(_directory, _pki.Server, "server");
        _pki.WritePem(_directory, _pki.Client, "client");
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase(false, TestName = "PythonClient_CallsOurServer_OverH2c_AllChecksPass")]
    [TestCase(true, TestName = "PythonClient_CallsOurServer_OverMutualTls_AllChecksPass")]
    public async Task PythonClient_CallsOurServer(bool tls)
    {
        PythonPeer.RequireInterpreter();
        await using var server = await TestServers.StartAsync(new FileBlobStore(Path.Combine(_directory, "blobs-" + tls)), pki: tls ? _pki : null);
        string[] arguments = ["call", "--descriptors", _descriptors, "--target", "127.0.0.1:" + server.Address.Port, .. TlsArguments(tls, "client")];

        var (exitCode, output) = await PythonPeer.RunAsync(TimeSpan.FromMinutes(2), arguments);

        TestContext.Out.WriteLine(output);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Not.Contain("FAIL"));
            Assert.That(output, Does.Contain("OK health.check").And.Contain("OK blob.round-trip").And.Contain("OK chat"));
        });
    }

    [TestCase(false, TestName = "OurClient_CallsPythonServer_OverH2c_EveryCallKindWorks")]
    [TestCase(true, TestName = "OurClient_CallsPythonServer_OverMutualTls_EveryCallKindWorks")]
    public async Task OurClient_CallsPythonServer(bool tls)
    {
        PythonPeer.RequireInterpreter();
        using var python = await PythonServer.StartAsync(_descriptors, tls ? [.. TlsArguments(tls, "server").Skip(1)] : null);
        var address = new Uri($"{(tls ? "https" : "http")}://{(tls ? "localhost" : "127.0.0.1")}:{python.Port}");
        using var channel = RpcChannel.Create(address, tls ? new RpcChannelOptions { TrustedServerAuthorities = _pki.Bundle, ClientCertificate = _pki.Client } : null);
        var diagnostics = new DiagnosticsClient(channel);
        var options = TestServers.Bounded(TimeSpan.FromMinutes(1));

        var health = await new HealthClient(channel).CheckAsync(options: options).WaitAsync(TestServers.Timeout);
        var echo = await diagnostics.EchoAsync(new EchoRequest { Message = "from .NET" }, options).WaitAsync(TestServers.Timeout);
        using var count = diagnostics.Count(new CountRequest { Count = 4, PayloadSize = 100 }, options);
        var counted = await count.ReadAllAsync().ToListAsync().AsTask().WaitAsync(TestServers.Timeout);
        using var sum = diagnostics.Sum(options);
        await sum.RequestStream.WriteAsync(new EchoRequest { Payload = Google.Protobuf.ByteString.CopyFrom(new byte[7]) }).WaitAsync(TestServers.Timeout);
        await sum.RequestStream.WriteAsync(new EchoRequest { Payload = Google.Protobuf.ByteString.CopyFrom(new byte[5]) }).WaitAsync(TestServers.Timeout);
        await sum.RequestStream.CompleteAsync();
        var summed = await sum.ResponseAsync.WaitAsync(TestServers.Timeout);
        using var chat = diagnostics.Chat(options);
        await chat.RequestStream.WriteAsync(new EchoRequest { Message = "a" }).WaitAsync(TestServers.Timeout);
        await chat.RequestStream.WriteAsync(new EchoRequest { Message = "b" }).WaitAsync(TestServers.Timeout);
        await chat.RequestStream.CompleteAsync();
        var chatted = await chat.ReadAllAsync().ToListAsync().AsTask().WaitAsync(TestServers.Timeout);
        var failed = Assert.ThrowsAsync<RpcException>(() => diagnostics.EchoAsync(
            new EchoRequest { ResponseStatus = new EchoStatus { Code = 7, Message = "refusé 100%" } }, options).WaitAsync(TestServers.Timeout));
        var late = Assert.ThrowsAsync<RpcException>(() => diagnostics.EchoAsync(
            new EchoRequest { DelayMs = 3000 }, new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(300))).WaitAsync(TestServers.Timeout));
        var missing = Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(
            new Method<EchoRequest, EchoReply>(MethodType.Unary, DiagnosticsMethods.ServiceName, "DoesNotExist", EchoRequest.Parser, EchoReply.Parser), new EchoRequest(), options).WaitAsync(TestServers.Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(health, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
            Assert.That(echo.Message, Is.EqualTo("from .NET"));
            Assert.That(counted.Select(r => r.Sequence), Is.EqualTo(new uint[] { 0, 1, 2, 3 }));
            Assert.That(summed.PayloadBytes, Is.EqualTo(12));
            Assert.That(chatted.Select(r => r.Message), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(failed!.Status, Is.EqualTo(new Status(StatusCode.PermissionDenied, "refusé 100%")));
            Assert.That(late!.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
            Assert.That(missing!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task OurBlobClient_AgainstPythonServer_VerifiesDigestsBothWays(bool tls)
    {
        PythonPeer.RequireInterpreter();
        using var python = await PythonServer.StartAsync(_descriptors, tls ? [.. TlsArguments(tls, "server").Skip(1)] : null);
        var address = new Uri($"{(tls ? "https" : "http")}://{(tls ? "localhost" : "127.0.0.1")}:{python.Port}");
        using var channel = RpcChannel.Create(address, tls ? new RpcChannelOptions { TrustedServerAuthorities = _pki.Bundle, ClientCertificate = _pki.Client } : null);
        var blobs = new BlobTransferClient(channel);
        const int Length = 8 * 1024 * 1024 + 3;
        var options = TestServers.Bounded(TimeSpan.FromMinutes(1));

        var uploaded = await blobs.UploadAsync("from-dotnet", GeneratedStream.Pseudorandom(Length), options).WaitAsync(TimeSpan.FromMinutes(1));
        using var sink = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var downloaded = await blobs.DownloadAsync("generated-" + Length, new HashingStream(sink), options).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(uploaded.Length, Is.EqualTo((ulong)Length));
            Assert.That(downloaded.Length, Is.EqualTo((ulong)Length));
            Assert.That(downloaded.Sha256.ToByteArray(), Is.EqualTo(sink.GetHashAndReset()));
        });
    }

    private IEnumerable<string> TlsArguments(bool tls, string name) => tls
        ? ["--tls", Path.Combine(_directory, "ca.pem"), Path.Combine(_directory, name + ".pem"), Path.Combine(_directory, name + ".key")]
        : [];

    /// <summary>Hashes what is written to it and keeps nothing.</summary>
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
