using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;

namespace HospitalFed.Crypto.Tests.Ckks.Multiparty;

/// <summary>
/// Decryptors receive each aggregate chunk's c1 (its mask) and the hash of the whole chunk: the
/// split digest must bind both, and a share made from a parsed mask must equal one made from the
/// whole ciphertext.
/// </summary>
public sealed class AggregateSplitDigestTests
{
    [Test]
    public void Mask_RoundTrip_SharesFromMaskEqualSharesFromCiphertextAndAreSmaller()
    {
        // Arrange
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 2, 2, "mask-round-trip");
        var (aggregate, _) = MultipartyDecryptionTests.EncryptedSum(group, 2);
        var mask = CkksSerializer.SerializeMask(aggregate);

        // Act
        var parsed = CkksSerializer.ReadMask(context, mask);
        var fromMask = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(2, 2, 2), SeededRandomSource.FromLabel("same-noise")).GenShare(group.SecretKeys[0], parsed);
        var fromCiphertext = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(2, 2, 2), SeededRandomSource.FromLabel("same-noise")).GenShare(group.SecretKeys[0], aggregate);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(mask[5], Is.EqualTo((byte)CkksObjectKind.CiphertextMask));
            Assert.That(CkksSerializer.SerializeMask(parsed), Is.EqualTo(mask));
            Assert.That(fromMask.ToBytes(), Is.EqualTo(fromCiphertext.ToBytes()));
            Assert.That(mask, Has.Length.LessThan(CkksSerializer.Serialize(aggregate).Length));
        });
    }

    [Test]
    public void ReadMask_MalformedOrOtherKind_Rejected()
    {
        // Arrange
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 2, 2, "mask-malformed");
        var (aggregate, _) = MultipartyDecryptionTests.EncryptedSum(group, 2);
        var mask = CkksSerializer.SerializeMask(aggregate);
        var outOfRange = (byte[])mask.Clone();
        outOfRange.AsSpan(outOfRange.Length - 64, 63).Fill(0xFF);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => CkksSerializer.ReadMask(context, mask[..^1]), Throws.TypeOf<FormatException>().With.Message.Contains("exactly"));
            Assert.That(() => CkksSerializer.ReadMask(context, outOfRange), Throws.TypeOf<FormatException>());
            Assert.That(() => CkksSerializer.ReadMask(context, CkksSerializer.Serialize(aggregate)), Throws.TypeOf<FormatException>().With.Message.Contains("expected a ciphertext mask"));
        });
    }

    [Test]
    public void ComputeSplit_AnyBitOfMaskOrCiphertextHashFlipped_ChangesTheDigest()
    {
        // Arrange: a two-chunk aggregate as the aggregator sends it.
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 2, 2, "split-digest");
        var chunks = new[] { MultipartyDecryptionTests.EncryptedSum(group, 2).Aggregate, MultipartyDecryptionTests.EncryptedSum(group, 2).Aggregate };
        var hashes = chunks.Select(AggregateDigest.HashCiphertext).ToArray();
        var masks = chunks.Select(CkksSerializer.SerializeMask).ToArray();
        ReadOnlyMemory<byte>[] Memories(byte[][] parts) => [.. parts.Select(p => (ReadOnlyMemory<byte>)p)];

        // Act
        var digest = AggregateDigest.ComputeSplit(Memories(hashes), Memories(masks));
        var fromCiphertexts = AggregateDigest.ComputeSplit(chunks);
        var flippedMask = masks.Select(m => (byte[])m.Clone()).ToArray();
        flippedMask[1][flippedMask[1].Length / 2] ^= 0x01;
        var flippedHash = hashes.Select(h => (byte[])h.Clone()).ToArray();
        flippedHash[0][0] ^= 0x80;
        var swapped = AggregateDigest.ComputeSplit(Memories([hashes[1], hashes[0]]), Memories([masks[1], masks[0]]));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(fromCiphertexts, Is.EqualTo(digest));
            Assert.That(digest, Is.Not.EqualTo(AggregateDigest.ComputeContribution(context, chunks.Select(c => (ReadOnlyMemory<byte>)CkksSerializer.Serialize(c)))), "a domain of its own");
            Assert.That(AggregateDigest.ComputeSplit(Memories(hashes), Memories(flippedMask)), Is.Not.EqualTo(digest));
            Assert.That(AggregateDigest.ComputeSplit(Memories(flippedHash), Memories(masks)), Is.Not.EqualTo(digest));
            Assert.That(swapped, Is.Not.EqualTo(digest));
            Assert.That(() => AggregateDigest.ComputeSplit(Memories(hashes), Memories(masks[..1])), Throws.ArgumentException);
            Assert.That(() => AggregateDigest.ComputeSplit(Memories([hashes[0], hashes[1][..31]]), Memories(masks)), Throws.ArgumentException);
        });
    }

    [Test]
    public void HashCiphertext_OneResidueOfC0ChangedByOne_ChangesTheHash()
    {
        // Arrange: a compressing context, where the upload form would round such a change away.
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 2, 2, "chunk-hash");
        var aggregate = MultipartyDecryptionTests.EncryptedSum(group, 2).Aggregate;
        var changed = new CkksCiphertext(context);
        changed.CopyFrom(aggregate);
        changed.Data[0] = context.Moduli[0].Add(changed.Data[0], 1);

        // Act
        var before = AggregateDigest.HashCiphertext(aggregate);
        var after = AggregateDigest.HashCiphertext(changed);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(context.CiphertextCompressor, Is.Not.Null, "the context compresses uploads");
            Assert.That(after, Is.Not.EqualTo(before));
            Assert.That(AggregateDigest.HashCiphertext(aggregate), Is.EqualTo(before), "deterministic");
        });
    }
}
