using Google.Protobuf;
using HospitalFed.Crypto.SecAgg;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.Tests.SecAgg;

public sealed class AggregatorSessionTests
{
    private TestSites _sites = null!;

    [OneTimeSetUp]
    public void CreateSites() => _sites = new TestSites(5);

    [OneTimeTearDown]
    public void DisposeSites() => _sites.Dispose();

    [Test]
    public void ReceiveChunk_OutOfOrder_IsRefusedAndNotAdded()
    {
        using var harness = AtMasking();
        var chunks = harness.Sites[0].MaskInput(harness.Inputs[0]).ToArray();

        var error = Assert.Throws<SecAggException>(() => harness.Aggregator.Receive(chunks[1]));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.Malformed));
        Assert.DoesNotThrow(() => harness.Aggregator.Receive(chunks[0]));
    }

    [Test]
    public void ReceiveChunk_AfterInputComplete_IsRefusedAsDuplicate()
    {
        using var harness = AtMasking();
        var chunks = harness.Sites[0].MaskInput(harness.Inputs[0]).ToArray();
        foreach (var chunk in chunks)
        {
            harness.Aggregator.Receive(chunk);
        }

        var error = Assert.Throws<SecAggException>(() => harness.Aggregator.Receive(chunks[0]));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.Duplicate));
    }

    [Test]
    public void ReceiveChunk_MisalignedWords_IsRefused()
    {
        using var harness = AtMasking();
        var chunk = harness.Sites[0].MaskInput(harness.Inputs[0]).First();
        chunk.Words = ByteString.CopyFrom(chunk.Words.Span[..^1]);

        Assert.That(() => harness.Aggregator.Receive(chunk), Throws.TypeOf<SecAggException>().With.Property(nameof(SecAggException.Failure)).EqualTo(SecAggFailure.Malformed));
    }

    [Test]
    public void CloseMaskedInput_SiteStoppedPartWay_AbortsTheRound()
    {
        using var harness = AtMasking();
        foreach (var site in harness.Sites.Skip(1))
        {
            foreach (var chunk in site.MaskInput(harness.Inputs[harness.Index(site.Name)]))
            {
                harness.Aggregator.Receive(chunk);
            }
        }

        harness.Aggregator.Receive(harness.Sites[0].MaskInput(harness.Inputs[0]).First());

        var error = Assert.Throws<SecAggException>(() => harness.Aggregator.CloseMaskedInput());

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.PartialMaskedInput));
        Assert.That(error.Message, Does.Contain("site-00"));
        Assert.That(harness.Aggregator.Stage, Is.EqualTo(AggregatorStage.Aborted));
    }

    [Test]
    public void ReceiveShares_MissingAHolder_IsRefused()
    {
        using var harness = new SecAggHarness(_sites, 5, 3, 130);
        harness.AdvertiseKeys();
        var shares = harness.Sites[0].ShareKeys(harness.Advertised!);
        shares.Shares.RemoveAt(0);

        var error = Assert.Throws<SecAggException>(() => harness.Aggregator.Receive(shares));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.Malformed));
    }

    [Test]
    public void ReceiveUnmaskResponse_ShareOfTheWrongKind_IsRefused()
    {
        using var harness = new SecAggHarness(_sites, 5, 3, 130, drops: new Dictionary<int, DropPoint> { [4] = DropPoint.AfterShareKeys });
        harness.AdvertiseKeys();
        harness.ShareKeys();
        harness.ReceiveShares();
        harness.MaskInputs();
        harness.CheckConsistency();
        var request = harness.UnmaskRequests[0];
        var response = harness.Site(request.Recipient).Unmask(request);
        response.Shares.First(s => s.Kind == SecAggShareKind.MaskSeed).Kind = SecAggShareKind.MaskKey;

        var error = Assert.Throws<SecAggException>(() => harness.Aggregator.Receive(response));

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.Malformed));
    }

    [Test]
    public void Finish_WrongMaskKeyShare_IsCaughtAgainstTheAdvertisedKey()
    {
        using var harness = new SecAggHarness(_sites, 5, 3, 130, drops: new Dictionary<int, DropPoint> { [4] = DropPoint.AfterShareKeys });
        harness.AdvertiseKeys();
        harness.ShareKeys();
        harness.ReceiveShares();
        harness.MaskInputs();
        harness.CheckConsistency();
        foreach (var request in harness.UnmaskRequests)
        {
            var response = harness.Site(request.Recipient).Unmask(request);
            var keyShare = response.Shares.Single(s => s.Kind == SecAggShareKind.MaskKey);
            var bytes = keyShare.Share.ToByteArray();
            bytes[^1] ^= 1; // every holder lies about site-04's mask key
            keyShare.Share = ByteString.CopyFrom(bytes);
            harness.Aggregator.Receive(response);
        }

        var error = Assert.Throws<SecAggException>(() => harness.Aggregator.Finish());

        Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InconsistentShares));
        Assert.That(harness.Aggregator.Stage, Is.EqualTo(AggregatorStage.Aborted));
    }

    private SecAggHarness AtMasking()
    {
        var harness = new SecAggHarness(_sites, 5, 3, 130);
        harness.AdvertiseKeys();
        harness.ShareKeys();
        harness.ReceiveShares();
        return harness;
    }
}
