using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Grpc.Net.Client;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport;
using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Hosting;
using GrpcCallOptions = Grpc.Core.CallOptions;
using ProtoDiagnostics = HospitalFed.Protocol.V1.Diagnostics;

namespace HospitalFed.Benchmarks.Transport;

/// <summary>
/// Unary round-trip latency and streaming throughput on loopback, h2c and mutual TLS: grpc-dotnet (our
/// hosting, NodeServer, with generated clients on NodeChannel) against itself and against grpcio, and
/// grpcio (Debian's python3-grpcio, C core) against itself, all in one run. Each category's ratio is
/// against grpcio-to-grpcio. See docs/performance.md.
/// </summary>
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class TransportBenchmarks
{
    private const int UnaryCalls = 200;
    private const long StreamBytes = 64L * 1024 * 1024;

    private string _directory = null!;
    private NodeServer _grpcDotnetServer = null!;
    private GrpcChannel _grpcDotnet = null!;
    private GrpcChannel _grpcDotnetToGrpcio = null!;
    private GrpcioDriver _grpcio = null!;
    private X509Certificate2[] _certificates = [];

    /// <summary>h2c (plaintext HTTP/2) or tls (mutual TLS 1.3).</summary>
    [Params("h2c", "tls")]
    public string Transport { get; set; } = "h2c";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("hfed-bench-").FullName;
        var tls = Transport == "tls";
        var host = new RpcHostOptions();
        var grpcDotnet = new RpcChannelOptions();
        string[]? grpcioTls = null;
        if (tls)
        {
            _certificates = BenchCertificates.Create(_directory);
            var (root, server, client) = (_certificates[0], _certificates[1], _certificates[2]);
            host.ServerCertificate = server;
            host.TrustedClientAuthorities = [root];
            grpcDotnet.TrustedServerAuthorities = [root];
            grpcDotnet.ClientCertificate = client;
            grpcioTls =
            [
                "--tls", Path.Combine(_directory, "ca.pem"), Path.Combine(_directory, "server.pem"), Path.Combine(_directory, "server.key"),
                "--client-cert", Path.Combine(_directory, "client.pem"), Path.Combine(_directory, "client.key"),
            ];
        }

        _grpcDotnetServer = NodeServer.StartAsync(host, new NodeServices().Add(new DiagnosticsService()).Add(new BlobTransferService(new DiscardingBlobStore()))).GetAwaiter().GetResult();
        _grpcDotnet = NodeChannel.Create(_grpcDotnetServer.Address, grpcDotnet);
        _grpcio = GrpcioDriver.Start(_directory, grpcioTls);
        var grpcioAddress = new Uri($"{(tls ? "https://localhost" : "http://127.0.0.1")}:{_grpcio.Port}");
        _grpcDotnetToGrpcio = NodeChannel.Create(grpcioAddress, grpcDotnet);
        new ProtoDiagnostics.DiagnosticsClient(_grpcDotnet).Echo(new EchoRequest { Message = "warm" });
        new ProtoDiagnostics.DiagnosticsClient(_grpcDotnetToGrpcio).Echo(new EchoRequest { Message = "warm" });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _grpcDotnet.Dispose();
        _grpcDotnetToGrpcio.Dispose();
        _grpcDotnetServer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _grpcio.Dispose();
        foreach (var certificate in _certificates)
        {
            certificate.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = UnaryCalls, Description = "grpcio -> grpcio")]
    [BenchmarkCategory("Unary echo (per call)")]
    public void Unary_Grpcio() => _grpcio.Run("unary", UnaryCalls);

    [Benchmark(OperationsPerInvoke = UnaryCalls, Description = "grpc-dotnet -> grpc-dotnet")]
    [BenchmarkCategory("Unary echo (per call)")]
    public Task Unary_GrpcDotnet() => GeneratedUnaryAsync(_grpcDotnet);

    [Benchmark(OperationsPerInvoke = UnaryCalls, Description = "grpc-dotnet -> grpcio")]
    [BenchmarkCategory("Unary echo (per call)")]
    public Task Unary_GrpcDotnetToGrpcio() => GeneratedUnaryAsync(_grpcDotnetToGrpcio);

    [Benchmark(Baseline = true, Description = "grpcio -> grpcio")]
    [BenchmarkCategory("Upload 64 MiB (client streaming)")]
    public void Upload_Grpcio() => _grpcio.Run("upload", StreamBytes);

    [Benchmark(Description = "grpc-dotnet -> grpc-dotnet")]
    [BenchmarkCategory("Upload 64 MiB (client streaming)")]
    public Task Upload_GrpcDotnet() => Blobs(_grpcDotnet).UploadAsync("bench", GeneratedStream.Zeros(StreamBytes), default);

    [Benchmark(Description = "grpc-dotnet -> grpcio")]
    [BenchmarkCategory("Upload 64 MiB (client streaming)")]
    public Task Upload_GrpcDotnetToGrpcio() => Blobs(_grpcDotnetToGrpcio).UploadAsync("bench", GeneratedStream.Zeros(StreamBytes), default);

    [Benchmark(Baseline = true, Description = "grpcio -> grpcio")]
    [BenchmarkCategory("Download 64 MiB (server streaming)")]
    public void Download_Grpcio() => _grpcio.Run("download", StreamBytes);

    [Benchmark(Description = "grpc-dotnet -> grpc-dotnet")]
    [BenchmarkCategory("Download 64 MiB (server streaming)")]
    public Task Download_GrpcDotnet() => Blobs(_grpcDotnet).DownloadAsync("generated-" + StreamBytes, Stream.Null, default);

    [Benchmark(Description = "grpc-dotnet -> grpcio")]
    [BenchmarkCategory("Download 64 MiB (server streaming)")]
    public Task Download_GrpcDotnetToGrpcio() => Blobs(_grpcDotnetToGrpcio).DownloadAsync("generated-" + StreamBytes, Stream.Null, default);

    private static VerifiedBlobClient Blobs(GrpcChannel channel) => new(channel);

    private static async Task GeneratedUnaryAsync(GrpcChannel channel)
    {
        var client = new ProtoDiagnostics.DiagnosticsClient(channel);
        var request = new EchoRequest { Message = "ping" };
        for (var i = 0; i < UnaryCalls; i++)
        {
            await client.EchoAsync(request, default(GrpcCallOptions)).ResponseAsync;
        }
    }

    /// <summary>A short in-process job: the work is I/O across two processes, so a few iterations suffice.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(2)
            .WithIterationCount(12)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("loopback"));
    }
}
