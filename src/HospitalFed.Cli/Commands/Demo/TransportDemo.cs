using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport;
using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Diagnostics;
using HospitalFed.Transport.Hosting;
using CallOptions = Grpc.Core.CallOptions;
using DiagnosticsClient = HospitalFed.Protocol.V1.Diagnostics.DiagnosticsClient;

namespace HospitalFed.Cli.Commands.Demo;

/// <summary>
/// Starts a node on 127.0.0.1 with mutual TLS and calls it the way a site would: health, every call
/// kind, and a large blob streamed both ways with its SHA-256 checked at each end.
/// </summary>
internal static class TransportDemo
{
    public static async Task<(Uri Address, IReadOnlyList<DemoStep> Steps)> RunAsync(int payloadMiB, TimeProvider time, CancellationToken cancellationToken)
    {
        using var certificates = DemoCertificates.Create(time);
        var storage = Directory.CreateTempSubdirectory("hfed-demo-");
        try
        {
            var host = new RpcHostOptions
            {
                ServerCertificate = certificates.Server,
                TrustedClientAuthorities = [certificates.Root],
            };
            await using var server = await NodeServer.StartAsync(
                host,
                new NodeServices().Add(new DiagnosticsService(time)).Add(new BlobTransferService(new FileBlobStore(storage.FullName))),
                time: time,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            using var channel = NodeChannel.Create(server.Address, new RpcChannelOptions
            {
                TrustedServerAuthorities = [certificates.Root],
                ClientCertificate = certificates.Client,
                TimeProvider = time,
            });
            var options = new CallOptions(deadline: time.GetUtcNow().AddMinutes(5).UtcDateTime, cancellationToken: cancellationToken);
            var steps = new List<DemoStep>
            {
                await TimeAsync(time, "grpc.health.v1.Health/Check", "unary", async () =>
                    (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), options).ResponseAsync.ConfigureAwait(false)).Status.ToString().ToUpperInvariant()).ConfigureAwait(false),
            };
            var diagnostics = new DiagnosticsClient(channel);
            steps.Add(await TimeAsync(time, "Diagnostics/Echo", "unary", async () =>
                $"echoed \"{(await diagnostics.EchoAsync(new EchoRequest { Message = "hello, consortium" }, options).ResponseAsync.ConfigureAwait(false)).Message}\"").ConfigureAwait(false));
            steps.Add(await TimeAsync(time, "Diagnostics/Count", "server streaming", () => CountAsync(diagnostics, options)).ConfigureAwait(false));
            steps.Add(await TimeAsync(time, "Diagnostics/Sum", "client streaming", () => SumAsync(diagnostics, options)).ConfigureAwait(false));
            steps.Add(await TimeAsync(time, "Diagnostics/Chat", "bidirectional", () => ChatAsync(diagnostics, options)).ConfigureAwait(false));

            var blobs = new VerifiedBlobClient(channel);
            var length = payloadMiB * 1024L * 1024L;
            BlobReceipt? uploaded = null;
            steps.Add(await TimeAsync(time, "BlobTransfer/Upload", "client streaming", async () =>
            {
                uploaded = await blobs.UploadAsync("demo-model.bin", GeneratedStream.Random(length), options).ConfigureAwait(false);
                return $"{payloadMiB} MiB, SHA-256 {Convert.ToHexStringLower(uploaded.Sha256.Span)[..16]}… verified by the node";
            }).ConfigureAwait(false));
            steps.Add(await TimeAsync(time, "BlobTransfer/Download", "server streaming", async () =>
            {
                var downloaded = await blobs.DownloadAsync("demo-model.bin", Stream.Null, options).ConfigureAwait(false);
                return CryptographicOperations.FixedTimeEquals(downloaded.Sha256.Span, uploaded!.Sha256.Span) && downloaded.Length == uploaded.Length
                    ? $"{payloadMiB} MiB, SHA-256 matches the upload"
                    : throw new InvalidOperationException("the downloaded blob's digest differs from the uploaded one");
            }).ConfigureAwait(false));
            return (server.Address, steps);
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }

    private static async Task<DemoStep> TimeAsync(TimeProvider time, string name, string kind, Func<Task<string>> step)
    {
        var started = time.GetTimestamp();
        var result = await step().ConfigureAwait(false);
        return new DemoStep(name, kind, result, time.GetElapsedTime(started));
    }

    private static async Task<string> CountAsync(DiagnosticsClient diagnostics, CallOptions options)
    {
        using var call = diagnostics.Count(new CountRequest { Count = 100, PayloadSize = 1024 }, options);
        var received = 0;
        await foreach (var _ in call.ResponseStream.ReadAllAsync(options.CancellationToken).ConfigureAwait(false))
        {
            received++;
        }

        return $"{received} replies of 1 KiB";
    }

    private static async Task<string> SumAsync(DiagnosticsClient diagnostics, CallOptions options)
    {
        using var call = diagnostics.Sum(options);
        var payload = ByteString.CopyFrom(new byte[4096]);
        for (var i = 0; i < 100; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Payload = payload }).ConfigureAwait(false);
        }

        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        var reply = await call.ResponseAsync.ConfigureAwait(false);
        return $"node counted {reply.Messages} messages, {reply.PayloadBytes / 1024} KiB";
    }

    private static async Task<string> ChatAsync(DiagnosticsClient diagnostics, CallOptions options)
    {
        using var call = diagnostics.Chat(options);
        var replies = 0;
        await using var responses = call.ResponseStream.ReadAllAsync(options.CancellationToken).GetAsyncEnumerator(options.CancellationToken);
        for (var i = 0; i < 10; i++)
        {
            // Strict ping-pong: each reply is read before the next request is sent.
            await call.RequestStream.WriteAsync(new EchoRequest { Message = "ping " + i }).ConfigureAwait(false);
            if (!await responses.MoveNextAsync().ConfigureAwait(false) || responses.Current.Message != "ping " + i)
            {
                throw new InvalidOperationException("the bidirectional stream answered out of order");
            }

            replies++;
        }

        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return $"{replies} ping-pongs in order";
    }
}
