using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;

namespace HospitalFed.Crypto.Tests.Ckks.Multiparty;

/// <summary>
/// Compressed decryption shares stay in coefficient form from generation to decoding (no NTT per
/// share); these tests pin that this changes no result, only where the transforms happen.
/// </summary>
public sealed class CoefficientFormShareTests
{
    [Test]
    public void AggregateShares_ParsedCompressedShares_DecodeExactlyAsTheirNttForms()
    {
        // Arrange: 3 parties, shares made and parsed as a site and the aggregator do.
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 3, 3, "coefficient-form");
        var (aggregate, expected) = MultipartyDecryptionTests.EncryptedSum(group, 3);
        var protocol = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(3, 3, 3), group.Random);
        var parsed = group.SecretKeys.Select(sk => DecryptionShare.Parse(context, protocol.GenShare(sk, aggregate).ToBytes())).ToList();

        // Act
        var coefficientSum = protocol.AggregateShares(parsed);
        var nttSum = protocol.AggregateShares(parsed.Select(s => s.ToNtt()));
        var mixedSum = protocol.AggregateShares([parsed[0], parsed[1].ToNtt(), parsed[2]]);
        var fromCoefficients = new double[aggregate.Capacity];
        var fromNtt = new double[aggregate.Capacity];
        var fromMixed = new double[aggregate.Capacity];
        protocol.Decrypt(aggregate, coefficientSum, fromCoefficients);
        protocol.Decrypt(aggregate, nttSum, fromNtt);
        protocol.Decrypt(aggregate, mixedSum, fromMixed);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(parsed.All(s => !s.InNttForm), Is.True);
            Assert.That(coefficientSum.InNttForm, Is.False);
            Assert.That(nttSum.InNttForm, Is.True);
            Assert.That(fromCoefficients, Is.EqualTo(fromNtt));
            Assert.That(fromMixed, Is.EqualTo(fromNtt));
            Assert.That(CkksTestData.MaxError(expected, fromCoefficients), Is.LessThan(System.Math.Pow(2, -20)));
        });
    }

    [Test]
    public void AddInPlace_RunningSumInEitherFormWithMixedShares_EqualsAggregateShares()
    {
        // Arrange: the aggregator's running sum starts as the first site's parsed share.
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 3, 3, "running-sum");
        var (aggregate, expected) = MultipartyDecryptionTests.EncryptedSum(group, 3);
        var protocol = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(3, 3, 3), group.Random);
        DecryptionShare[] Parsed() => [.. group.SecretKeys.Select(sk => DecryptionShare.Parse(context, protocol.GenShare(sk, aggregate).ToBytes()))];
        var parsed = Parsed();
        var reference = new double[aggregate.Capacity];
        protocol.Decrypt(aggregate, protocol.AggregateShares(parsed), reference);

        // Act: a coefficient-form sum given an NTT-form share, and an NTT-form sum given coefficient ones.
        var coefficientSum = parsed[0];
        protocol.AddInPlace(coefficientSum, parsed[1].ToNtt());
        protocol.AddInPlace(coefficientSum, parsed[2]);
        var again = Parsed();
        var nttSum = again[0].ToNtt();
        protocol.AddInPlace(nttSum, again[1]);
        protocol.AddInPlace(nttSum, again[2]);
        var fromCoefficients = new double[aggregate.Capacity];
        var fromNtt = new double[aggregate.Capacity];
        protocol.Decrypt(aggregate, coefficientSum, fromCoefficients);
        protocol.Decrypt(aggregate, nttSum, fromNtt);

        // Assert: shares are fresh each time (new smudging), so compare each decode with the truth.
        Assert.Multiple(() =>
        {
            Assert.That(coefficientSum.InNttForm, Is.False);
            Assert.That(nttSum.InNttForm, Is.True);
            Assert.That(CkksTestData.MaxError(expected, fromCoefficients), Is.LessThan(System.Math.Pow(2, -20)));
            Assert.That(CkksTestData.MaxError(expected, fromNtt), Is.LessThan(System.Math.Pow(2, -20)));
            Assert.That(CkksTestData.MaxError(expected, reference), Is.LessThan(System.Math.Pow(2, -20)));
        });
    }

    [Test]
    public void GenShares_ForEveryChunk_DecodeLikeGenShareOneByOne()
    {
        // Arrange: a two-chunk aggregate; GenShares reuses the key's Shoup factors across chunks.
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 2, 2, "gen-shares");
        var first = MultipartyDecryptionTests.EncryptedSum(group, 2);
        var second = MultipartyDecryptionTests.EncryptedSum(group, 2);
        var protocol = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(2, 2, 2), group.Random);

        // Act
        var batched = group.SecretKeys.Select(sk => protocol.GenShares(sk, [first.Aggregate, second.Aggregate]).ToList()).ToList();
        var decoded = new[] { first, second }.Select((chunk, i) =>
        {
            var values = new double[chunk.Aggregate.Capacity];
            protocol.Decrypt(chunk.Aggregate, protocol.AggregateShares(batched.Select(shares => shares[i])), values);
            return values;
        }).ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(batched.All(shares => shares.Count == 2 && shares.All(s => !s.InNttForm)), Is.True);
            Assert.That(CkksTestData.MaxError(first.Expected, decoded[0]), Is.LessThan(System.Math.Pow(2, -20)));
            Assert.That(CkksTestData.MaxError(second.Expected, decoded[1]), Is.LessThan(System.Math.Pow(2, -20)));
        });
    }

    [Test]
    public void ToBytes_CoefficientAndNttFormOfOneShare_WriteTheSameBytes()
    {
        // Arrange
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 2, 2, "share-forms");
        var (aggregate, _) = MultipartyDecryptionTests.EncryptedSum(group, 2);
        var share = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(2, 2, 2), group.Random).GenShare(group.SecretKeys[0], aggregate);

        // Act
        var fromCoefficients = share.ToBytes();
        var fromNtt = share.ToNtt().ToBytes();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(share.InNttForm, Is.False, "a compressing context makes shares in coefficient form");
            Assert.That(fromNtt, Is.EqualTo(fromCoefficients));
        });
    }

    [Test]
    public void AggregateDigest_SerialisedChunks_EqualsDigestOfParsedCiphertexts()
    {
        // Arrange: two compressed chunks as a site sends them.
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 2, 2, "digest-bytes");
        var chunks = new List<byte[]>();
        new CkksVectorEncryptor(context, new CkksEncryptor(context, group.PublicKey, group.Random))
            .Encrypt(CkksTestData.RandomValues(6000, 5), (_, bytes) => chunks.Add(bytes.ToArray()));

        // Act
        var overBytes = AggregateDigest.ComputeContribution(context, chunks.Select(c => (ReadOnlyMemory<byte>)c));
        var overParsed = AggregateDigest.ComputeContribution(context, chunks.Select(c => (ReadOnlyMemory<byte>)CkksSerializer.Serialize(CkksSerializer.ReadCiphertext(context, c))));
        chunks[1][chunks[1].Length / 2] ^= 0x01;
        var afterFlip = AggregateDigest.ComputeContribution(context, chunks.Select(c => (ReadOnlyMemory<byte>)c));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(chunks, Has.Count.EqualTo(2));
            Assert.That(overBytes, Is.EqualTo(overParsed));
            Assert.That(afterFlip, Is.Not.EqualTo(overBytes));
        });
    }

    [Test]
    public void Validate_WellFormedAndMalformedCiphertexts_AcceptsOnlyWhatParses()
    {
        // Arrange
        var context = CkksTestData.SmallModel;
        using var group = new MultipartyTestParties(context, 2, 2, "validate");
        byte[] bytes = [];
        new CkksVectorEncryptor(context, new CkksEncryptor(context, group.PublicKey, group.Random))
            .Encrypt(CkksTestData.RandomValues(100, 6), (_, b) => bytes = b.ToArray());
        var outOfRange = (byte[])bytes.Clone();
        outOfRange.AsSpan(outOfRange.Length - 64, 63).Fill(0xFF); // c1's last residues >= q

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => CkksSerializer.Validate(context, bytes), Throws.Nothing);
            Assert.That(() => CkksSerializer.Validate(context, bytes[..^1]), Throws.TypeOf<FormatException>().With.Message.Contains("exactly"));
            Assert.That(() => CkksSerializer.Validate(context, [.. bytes, 0]), Throws.TypeOf<FormatException>().With.Message.Contains("exactly"));
            Assert.That(() => CkksSerializer.Validate(context, outOfRange), Throws.TypeOf<FormatException>());
            Assert.That(() => CkksSerializer.ReadCiphertext(context, outOfRange), Throws.TypeOf<FormatException>());
        });
    }
}
