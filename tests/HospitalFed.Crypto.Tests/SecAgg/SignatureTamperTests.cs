using Google.Protobuf;
using HospitalFed.Crypto.SecAgg;

namespace HospitalFed.Crypto.Tests.SecAgg;

public sealed class SignatureTamperTests
{
    private TestSites _sites = null!;

    [OneTimeSetUp]
    public void CreateSites() => _sites = new TestSites(3);

    [OneTimeTearDown]
    public void DisposeSites() => _sites.Dispose();

    [Test]
    public void ReceiveAdvertisement_EveryBitFlipInSignature_IsRefused()
    {
        using var harness = new SecAggHarness(_sites, 3, 2, 4);
        var advert = harness.Sites[1].AdvertiseKeys();

        AssertEveryFlipRefused(advert.Signature, bytes => Tampered(advert, a => a.Signature = bytes), harness.Aggregator.Receive);

        Assert.That(harness.Aggregator.Stage, Is.EqualTo(AggregatorStage.CollectingKeys));
        Assert.DoesNotThrow(() => harness.Aggregator.Receive(advert), "the genuine advertisement is still accepted");
    }

    [Test]
    public void ReceiveAdvertisement_EveryBitFlipInSignedKeys_IsRefused()
    {
        using var harness = new SecAggHarness(_sites, 3, 2, 4);
        var advert = harness.Sites[1].AdvertiseKeys();

        AssertEveryFlipRefused(advert.MaskPublicKey, bytes => Tampered(advert, a => a.MaskPublicKey = bytes), harness.Aggregator.Receive);
        AssertEveryFlipRefused(advert.SharePublicKey, bytes => Tampered(advert, a => a.SharePublicKey = bytes), harness.Aggregator.Receive);
    }

    [Test]
    public void ReceiveConsistencyCheck_EveryBitFlipInSignature_IsRefused()
    {
        using var harness = new SecAggHarness(_sites, 3, 2, 4);
        harness.AdvertiseKeys();
        harness.ShareKeys();
        harness.ReceiveShares();
        harness.MaskInputs();
        var check = harness.Sites[2].CheckConsistency(harness.Survivors!);

        AssertEveryFlipRefused(check.Signature, bytes => Tampered(check, c => c.Signature = bytes), harness.Aggregator.Receive);

        Assert.DoesNotThrow(() => harness.Aggregator.Receive(check));
    }

    private static T Tampered<T>(T message, Action<T> change)
        where T : IMessage<T>, IDeepCloneable<T>
    {
        var copy = message.Clone();
        change(copy);
        return copy;
    }

    private static void AssertEveryFlipRefused<T>(ByteString original, Func<ByteString, T> withBytes, Action<T> receive)
    {
        var bytes = original.ToByteArray();
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));

            var error = Assert.Throws<SecAggException>(() => receive(withBytes(ByteString.CopyFrom(flipped))), $"bit {bit}");

            Assert.That(error!.Failure, Is.EqualTo(SecAggFailure.InvalidSignature), $"bit {bit}");
        }
    }
}
