using Google.Protobuf;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.Tests.SecAgg;

public sealed class MessageRoundTripTests
{
    [Test]
    public void EveryMessageOfARound_SerialisesAndParsesBackEqual()
    {
        using var sites = new TestSites(4);
        using var harness = new SecAggHarness(sites, 4, 3, 10, drops: new Dictionary<int, DropPoint> { [3] = DropPoint.AfterShareKeys });
        harness.Run();

        var kinds = new HashSet<string>();
        foreach (var message in harness.Transcript)
        {
            var parsed = message.Descriptor.Parser.ParseFrom(message.ToByteArray());
            Assert.That(parsed, Is.EqualTo(message), message.Descriptor.Name);
            kinds.Add(message.Descriptor.Name);
        }

        Assert.That(kinds, Is.EquivalentTo(new[]
        {
            nameof(SecAggAdvertiseKeys), nameof(SecAggAdvertisedKeys), nameof(SecAggShareKeys), nameof(SecAggShareDelivery),
            nameof(SecAggMaskedInputChunk), nameof(SecAggSurvivorSet), nameof(SecAggConsistencyCheck), nameof(SecAggUnmaskRequest),
            nameof(SecAggUnmaskResponse),
        }));
    }

    [Test]
    public void SharePair_SerialisesAndParsesBackEqual()
    {
        var pair = new SecAggSharePair { MaskSeedShare = ByteString.CopyFrom(new byte[33]), MaskKeyShare = ByteString.CopyFrom(Enumerable.Range(0, 33).Select(i => (byte)i).ToArray()) };

        Assert.That(SecAggSharePair.Parser.ParseFrom(pair.ToByteArray()), Is.EqualTo(pair));
    }
}
