using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using HospitalFed.Protocol.V1;
using HospitalFed.Transport.Blobs;
using HospitalFed.Transport.Tests.Infrastructure;

namespace HospitalFed.Transport.Tests;

/// <summary>
/// Chunked transfer with an end-to-end SHA-256 against the real service and file store: round trips,
/// tampered uploads, and bounded memory. A node that lies on download is in <see cref="Client.VerifiedBlobClientTests"/>.
/// </summary>
public sealed class BlobTransferTests
{
    private const long LargePayload = 256L * 1024 * 1024;
    private const long HeapBudget = 64L * 1024 * 1024;

    private string _directory = null!;
    private Hosting.NodeServer _server = null!;
    private GrpcChannel _channel = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _directory = Directory.CreateTempSubdirectory("hfed-blobs-").FullName;
        _server = await TestServers.StartAsync(new FileBlobStore(_directory));
        _channel = TestServers.Channel(_server);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(64 * 1024)]
    [TestCase(1024 * 1024 + 17)]
    public async Task UploadThenDownload_ReturnsTheSameBytesAndDigest(int length)
    {
        var bytes = new byte[length];
        await GeneratedStream.Pseudorandom(length).ReadExactlyAsync(bytes);
        var client = new VerifiedBlobClient(_channel);
        var blobId = $"model-{length}.bin";

        var receipt = await client.UploadAsync(blobId, new MemoryStream(bytes), TestServers.Bounded()).WaitAsync(TestServers.Timeout);
        using var copy = new MemoryStream();
        var downloaded = await client.DownloadAsync(blobId, copy, TestServers.Bounded()).WaitAsync(TestServers.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(receipt.Sha256.ToByteArray(), Is.EqualTo(SHA256.HashData(bytes)));
            Assert.That(receipt.Length, Is.EqualTo((ulong)length));
            Assert.That(copy.ToArray().AsSpan().SequenceEqual(bytes), Is.True, "downloaded bytes differ");
            Assert.That(downloaded.Sha256, Is.EqualTo(receipt.Sha256));
        });
    }

    [Test]
    public async Task Upload_WrongDigest_IsDataLossAndStoresNothing()
    {
        var chunks = new[]
        {
            new BlobChunk { BlobId = "tampered", Data = ByteString.CopyFromUtf8("patient-free payload") },
            new BlobChunk { Sha256 = ByteString.CopyFrom(SHA256.HashData("something else"u8)), TotalLength = 20 },
        };

        var ex = await UploadRawAsync(chunks);

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DataLoss));
            Assert.That(File.Exists(Path.Combine(_directory, "tampered")), Is.False);
            Assert.That(Directory.GetFiles(_directory, "tampered*"), Is.Empty, "the partial file is removed");
        });
    }

    [Test]
    public async Task Upload_OneFlippedBit_IsDataLoss()
    {
        var data = "a model update"u8.ToArray();
        var digest = SHA256.HashData(data);
        data[3] ^= 0x01;

        var ex = await UploadRawAsync([
            new BlobChunk { BlobId = "flipped", Data = ByteString.CopyFrom(data) },
            new BlobChunk { Sha256 = ByteString.CopyFrom(digest), TotalLength = (ulong)data.Length }]);

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DataLoss));
    }

    [Test]
    public async Task Upload_WrongDeclaredLength_IsDataLoss()
    {
        var data = "twelve bytes"u8.ToArray();

        var ex = await UploadRawAsync([
            new BlobChunk { BlobId = "short", Data = ByteString.CopyFrom(data) },
            new BlobChunk { Sha256 = ByteString.CopyFrom(SHA256.HashData(data)), TotalLength = 13 }]);

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DataLoss));
    }

    [Test]
    public async Task Upload_WithoutFinalDigestChunk_IsInvalidArgumentAndStoresNothing()
    {
        var ex = await UploadRawAsync([new BlobChunk { BlobId = "unfinished", Data = ByteString.CopyFromUtf8("abc") }]);

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(Directory.GetFiles(_directory, "unfinished*"), Is.Empty);
        });
    }

    [Test]
    public async Task Upload_ChunkAfterTheFinalOne_IsInvalidArgument()
    {
        var data = "x"u8.ToArray();

        var ex = await UploadRawAsync([
            new BlobChunk { BlobId = "late", Data = ByteString.CopyFrom(data) },
            new BlobChunk { Sha256 = ByteString.CopyFrom(SHA256.HashData(data)), TotalLength = 1 },
            new BlobChunk { Data = ByteString.CopyFrom(data) }]);

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [TestCase("")]
    [TestCase("../etc/passwd")]
    [TestCase(".hidden")]
    public async Task Upload_InvalidBlobId_IsInvalidArgument(string blobId)
    {
        var ex = await UploadRawAsync([new BlobChunk { BlobId = blobId, Data = ByteString.CopyFromUtf8("x") }]);

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public void Download_UnknownBlob_IsNotFound()
    {
        var ex = Assert.ThrowsAsync<RpcException>(() => new VerifiedBlobClient(_channel).DownloadAsync("never-uploaded", Stream.Null, TestServers.Bounded()).WaitAsync(TestServers.Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [Test]
    public async Task Upload_256MiB_KeepsServerHeapGrowthUnder64MiB()
    {
        var probe = new HeapProbe();
        var store = new MeasuringSinkStore(probe, downloadLength: 0);
        await using var server = await Hosting.NodeServer.StartAsync(new RpcHostOptions(), new Hosting.NodeServices().Add(new BlobTransferService(store))).WaitAsync(TestServers.Timeout);
        using var channel = TestServers.Channel(server);

        var receipt = await new VerifiedBlobClient(channel).UploadAsync("large-upload", GeneratedStream.Pseudorandom(LargePayload), TestServers.Bounded(TimeSpan.FromMinutes(2)))
            .WaitAsync(TimeSpan.FromMinutes(2));

        TestContext.Out.WriteLine($"upload 256 MiB: live heap growth {probe.LiveGrowth / 1048576.0:F1} MiB, uncollected {probe.UncollectedGrowth / 1048576.0:F1} MiB, {probe.Samples} full samples");
        Assert.Multiple(() =>
        {
            Assert.That(receipt.Length, Is.EqualTo((ulong)LargePayload));
            Assert.That(store.Committed, Is.EqualTo(LargePayload));
            Assert.That(probe.Samples, Is.GreaterThanOrEqualTo(7), "sampled during the transfer");
            Assert.That(probe.LiveGrowth, Is.LessThan(HeapBudget));
            Assert.That(probe.UncollectedGrowth, Is.LessThan(HeapBudget));
        });
    }

    [Test]
    public async Task Download_256MiB_KeepsServerHeapGrowthUnder64MiB()
    {
        var probe = new HeapProbe();
        var store = new MeasuringSinkStore(probe, downloadLength: LargePayload);
        await using var server = await Hosting.NodeServer.StartAsync(new RpcHostOptions(), new Hosting.NodeServices().Add(new BlobTransferService(store))).WaitAsync(TestServers.Timeout);
        using var channel = TestServers.Channel(server);

        var receipt = await new VerifiedBlobClient(channel).DownloadAsync("large-download", Stream.Null, TestServers.Bounded(TimeSpan.FromMinutes(2)))
            .WaitAsync(TimeSpan.FromMinutes(2));

        TestContext.Out.WriteLine($"download 256 MiB: live heap growth {probe.LiveGrowth / 1048576.0:F1} MiB, uncollected {probe.UncollectedGrowth / 1048576.0:F1} MiB, {probe.Samples} full samples");
        Assert.Multiple(() =>
        {
            Assert.That(receipt.Length, Is.EqualTo((ulong)LargePayload));
            Assert.That(probe.Samples, Is.GreaterThanOrEqualTo(7));
            Assert.That(probe.LiveGrowth, Is.LessThan(HeapBudget));
            Assert.That(probe.UncollectedGrowth, Is.LessThan(HeapBudget));
        });
    }

    private async Task<RpcException?> UploadRawAsync(IEnumerable<BlobChunk> chunks)
    {
        using var call = new BlobTransfer.BlobTransferClient(_channel).Upload(TestServers.Bounded());
        try
        {
            foreach (var chunk in chunks)
            {
                await call.RequestStream.WriteAsync(chunk).WaitAsync(TestServers.Timeout);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server may refuse before the last write; the response carries its status.
        }

        return Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestServers.Timeout));
    }
}
