using Grpc.Core;
using HospitalFed.Transport.Blobs;

namespace HospitalFed.Transport.Tests.Client;

/// <summary>
/// The blob client against a node that lies (the end-to-end SHA-256 catches it) and its own checks
/// before any call; round trips and unknown blobs run against the real service in <see cref="BlobTransferTests"/>.
/// </summary>
public sealed class VerifiedBlobClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

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
