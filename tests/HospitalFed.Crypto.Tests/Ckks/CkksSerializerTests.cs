using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using static HospitalFed.Crypto.Tests.Ckks.CkksTestData;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class CkksSerializerTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void Ciphertext_RoundTrip_BitIdenticalAndDecrypts(bool seeded)
    {
        // Arrange
        var context = CkksTestData.Wide;
        using var random = SeededRandomSource.FromLabel("serialise");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var encryptor = seeded ? new CkksEncryptor(context, secretKey, random) : new CkksEncryptor(context, generator.GeneratePublicKey(secretKey), random);
        var values = CkksTestData.RandomValues(context.Parameters.ValuesPerCiphertext, 9);
        var ciphertext = encryptor.Encrypt(values);

        // Act
        var bytes = CkksSerializer.Serialize(ciphertext);
        var parsed = CkksSerializer.ReadCiphertext(context, bytes);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Data, Is.EqualTo(ciphertext.Data));
            Assert.That(parsed.IsSeeded, Is.EqualTo(seeded));
            Assert.That(CkksSerializer.Serialize(parsed), Is.EqualTo(bytes));
            Assert.That(CkksTestData.MaxError(values, new CkksDecryptor(context, secretKey).Decrypt(parsed)), Is.LessThan(System.Math.Pow(2, -20)));
        });
    }

    [Test]
    public void Ciphertext_Size_IsBitPackedAndSeededHalvesC1()
    {
        // N = 2048, one 54-bit prime, width 3: 4 polynomials of 2048 x 54 bits = 55296 bytes + 22 header
        var context = CkksTestData.Wide;
        using var random = SeededRandomSource.FromLabel("size");
        using var secretKey = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var seeded = new CkksEncryptor(context, secretKey, random).Encrypt([1.0]);
        var full = new CkksEvaluator(context).Add(seeded, seeded);

        Assert.Multiple(() =>
        {
            Assert.That(CkksSerializer.GetSize(full), Is.EqualTo(22 + (4 * 2048 * 54 / 8)));
            Assert.That(CkksSerializer.GetSize(seeded), Is.EqualTo(22 + 32 + (3 * 2048 * 54 / 8)));
        });
    }

    [Test]
    public void PublicKey_RoundTrip_EncryptsAlike()
    {
        var context = CkksTestData.TwoPrime;
        using var random = SeededRandomSource.FromLabel("pk-serialise");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var publicKey = generator.GeneratePublicKey(secretKey);

        var parsed = CkksSerializer.ReadPublicKey(context, CkksSerializer.Serialize(publicKey));

        Assert.Multiple(() =>
        {
            Assert.That(parsed.A, Is.EqualTo(publicKey.A));
            Assert.That(parsed.B, Is.EqualTo(publicKey.B));
            Assert.That(parsed.Seed.ToArray(), Is.EqualTo(publicKey.Seed.ToArray()));
        });
    }

    private static IEnumerable<TestCaseData> Malformations()
    {
        yield return new TestCaseData(new Func<byte[], byte[]>(b => b[..^1]), "exactly").SetName("Read_Truncated_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => [.. b, 0]), "exactly").SetName("Read_TrailingByte_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => b[..10]), "truncated").SetName("Read_HeaderOnly_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => Set(b, 0, (byte)'X')), "magic").SetName("Read_BadMagic_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => Set(b, 4, 2)), "version").SetName("Read_OtherVersion_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => Set(b, 5, 99)), "kind").SetName("Read_UnknownKind_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => Set(b, 5, 3)), "expected a ciphertext").SetName("Read_WrongKind_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => Set(b, 10, (byte)(b[10] ^ 1))), "other parameters").SetName("Read_OtherParameters_Rejected");
        // first residue all ones: 2^54 - 1 >= q
        yield return new TestCaseData(new Func<byte[], byte[]>(b => SetRange(b, 22, 7, 0xFF)), "out of range").SetName("Read_OutOfRangeCoefficient_Rejected");
    }

    [TestCaseSource(nameof(Malformations))]
    public void ReadCiphertext_Malformed_ThrowsFormatException(Func<byte[], byte[]> corrupt, string message)
    {
        // Arrange
        var context = CkksTestData.Small;
        using var random = SeededRandomSource.FromLabel("malformed");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var bytes = CkksSerializer.Serialize(new CkksEncryptor(context, generator.GeneratePublicKey(secretKey), random).Encrypt([0.5]));

        // Act / Assert
        Assert.That(() => CkksSerializer.ReadCiphertext(context, corrupt(bytes)), Throws.TypeOf<FormatException>().With.Message.Contains(message));
    }

    [Test]
    public void BitReader_NonZeroPadding_Rejected()
    {
        // Ring degrees are multiples of 8, so CKKS payloads end on a byte; the reader still refuses
        // set padding bits so every value has exactly one encoding.
        var bytes = new byte[2];
        var writer = new HospitalFed.Crypto.Ckks.Internal.BitWriter(bytes);
        writer.WriteAll([1, 2, 31], 5);
        writer.Flush();
        bytes[1] |= 0x80;

        Assert.That(() =>
        {
            var reader = new HospitalFed.Crypto.Ckks.Internal.BitReader(bytes);
            var values = new[] { reader.Read(5), reader.Read(5), reader.Read(5) };
            Assert.That(values, Is.EqualTo(new ulong[] { 1, 2, 31 }));
            reader.EnsureFinished();
        }, Throws.TypeOf<FormatException>().With.Message.Contains("padding"));
    }

    [Test]
    public void SharesAndPublicKeyShares_RoundTrip_AndRejectWrongKind()
    {
        var context = CkksPresets.SmallModel;
        var ctx = new CkksContext(context);
        using var random = SeededRandomSource.FromLabel("shares");
        using var key = new CkksKeyGenerator(ctx, random).GenerateSecretKey();
        var crp = new CommonRandomPolynomial(ctx, new byte[32]);
        var pkShare = new PublicKeyGenProtocol(ctx, random).GenShare(key, crp);
        var decShare = new CollectiveDecryptionProtocol(ctx, new CkksNoiseBudget(2, 2, 2), random).GenShare(key, new CkksCiphertext(ctx));
        using var thresholdShare = new ThresholdProtocol(ctx, random).GenShares(key, 2, [1, 2])[1];

        Assert.Multiple(() =>
        {
            Assert.That(PublicKeyShare.Parse(ctx, pkShare.ToBytes()).Data, Is.EqualTo(pkShare.Data));
            // SmallModel compresses shares: the round trip is lossy once, then byte-identical
            Assert.That(DecryptionShare.Parse(ctx, decShare.ToBytes()).ToBytes(), Is.EqualTo(decShare.ToBytes()));
            Assert.That(ThresholdKeyShare.Parse(ctx, 2, thresholdShare.ToBytes()).Data, Is.EqualTo(thresholdShare.Data));
            Assert.That(() => DecryptionShare.Parse(ctx, pkShare.ToBytes()), Throws.TypeOf<FormatException>().With.Message.Contains("expected a decryption share"));
            Assert.That(() => PublicKeyShare.Parse(ctx, decShare.ToBytes()[..^3]), Throws.TypeOf<FormatException>());
        });
    }
}
