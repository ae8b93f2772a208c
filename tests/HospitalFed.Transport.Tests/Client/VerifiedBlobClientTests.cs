using System.Security.Cryptography;
using Grpc.Core;
using HospitalFed.Transport.Blobs;

namespace HospitalFed.Transport.Tests.Client;

/// <summary>The blob client on grpc-dotnet: round trips, and the end-to-end SHA-256 catching a node that lies.</summary>
public sealed class VerifiedBlobClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(64 * 1024)]
    [TestCase(1024 * 1024 + 17)]
    public async Task VerifiedBlobClient_UploadThenDownload_ReturnsTheSameBytesAndDigest(int length)
    {
        await using var host = await GrpcTestHost.StartAsync(new MemoryBlobTransfer());
        using var channel = NodeChannel.Create(host.Address);
        var client = new VerifiedBlobClient(channel);
        var bytes = RandomNumberGenerator.GetBytes(length);

        var receipt = await client.UploadAsync("model.bin", new MemoryStream(bytes), Bounded()).WaitAsync(Timeout);
        using var copy = new MemoryStream();
        var downloaded = await client.DownloadAsync("model.bin", copy, Bounded()).WaitAsync(Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(receipt.Sha256.ToByteArray(), Is.EqualTo(SHA256.HashData(bytes)));
            Assert.That(receipt.Length, Is.EqualTo((ulong)length));
            Assert.That(copy.ToArray().AsSpan().SequenceEqual(bytes), Is.True, "downloaded bytes differ");
            Assert.That(downloaded.Sha256, Is.EqualTo(receipt.Sha256));
        });
    }

    [Test]
    public async Task VerifiedBlobClient_ReceiptWithAnotherDigest_IsDataLoss()
    {
        await using var host = await GrpcTestHost.StartAsync(new MemoryBlobTransfer { LieInReceipt = true });
        using var channel = NodeChannel.Create(host.Address);

        var ex = Assert.ThrowsAsync<RpcException>(() => new VerifiedBlobClient(channel).UploadAsync("model.bin", new MemoryStream(new byte[100]), Bounded()).WaitAsync(Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DataLoss));
    }

    [Test]
    public async Task VerifiedBlobClient_DownloadWithOneFlippedBit_IsDataLoss()
    {
        await using var host = await GrpcTestHost.StartAsync(new MemoryBlobTransfer { FlipOnDownload = true });
        using var channel = NodeChannel.Create(host.Address);
        var client = new VerifiedBlobClient(channel);
        await client.UploadAsync("model.bin", new MemoryStream(new byte[100]), Bounded()).WaitAsync(Timeout);

        var ex = Assert.ThrowsAsync<RpcException>(() => client.DownloadAsync("model.bin", Stream.Null, Bounded()).WaitAsync(Timeout));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.DataLoss));
            Assert.That(ex.Status.Detail, Does.Contain("'model.bin'").And.Contain("SHA-256"));
        });
    }

    [Test]
    public async Task VerifiedBlobClient_UnknownBlob_IsNotFound()
    {
        await using var host = await GrpcTestHost.StartAsync(new MemoryBlobTransfer());
        using var channel = NodeChannel.Create(host.Address);

        var ex = Assert.ThrowsAsync<RpcException>(() => new VerifiedBlobClient(channel).DownloadAsync("never-uploaded", Stream.Null, Bounded()).WaitAsync(Timeout));

        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [TestCase("")]
    [TestCase("../etc/passwd")]
    [TestCase(".hidden")]
    public void VerifiedBlobClient_InvalidBlobId_IsRefusedBeforeAnyCall(string blobId)
    {
        using var channel = NodeChannel.Create(new Uri("http://127.0.0.1:1"));

        var ex = Assert.ThrowsAsync<ArgumentException>(() => new VerifiedBlobClient(channel).UploadAsync(blobId, Stream.Null, Bounded()).WaitAsync(Timeout));

        Assert.That(ex!.Message, Does.Contain($"Blob id '{blobId}' is invalid"));
    }

    private static CallOptions Bounded() => new(cancellationToken: new CancellationTokenSource(Timeout).Token);
}
