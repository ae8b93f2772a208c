using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using static HospitalFed.Crypto.Tests.Ckks.CkksTestData;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class CkksCompressedWireTests
{
    [Test]
    public void CompressedCiphertext_RoundTrip_IdempotentAndDecryptsWithinPredictedBound()
    {
        // Arrange
        var context = CkksTestData.Compressed;
        using var random = SeededRandomSource.FromLabel("compressed-round-trip");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var encryptor = new CkksEncryptor(context, generator.GeneratePublicKey(secretKey), random);
        var values = CkksTestData.RandomValues(context.Parameters.ValuesPerCiphertext, 5);
        var ciphertext = encryptor.Encrypt(values);
        var budget = new CkksNoiseBudget(1, 1, 1);
        // one fresh encryption plus one upload's rounding (RoundingVariance also counts one share's: conservative)
        var bound = CkksNoiseBudget.VectorTail * System.Math.Sqrt(context.N / 2.0 * (budget.FreshVariance(context.Parameters) + budget.RoundingVariance(context.Parameters))) / context.Parameters.Scale;

        // Act
        var bytes = CkksSerializer.Serialize(ciphertext);
        var parsed = CkksSerializer.ReadCiphertext(context, bytes);
        var decrypted = new CkksDecryptor(context, secretKey).Decrypt(parsed);

        // Assert: w bits per c0 coefficient, c1 in full
        Assert.Multiple(() =>
        {
            Assert.That(bytes[5], Is.EqualTo((byte)CkksObjectKind.CompressedCiphertext));
            Assert.That(bytes, Has.Length.EqualTo(22 + (3 * 2048 * 44 / 8) + (2048 * 54 / 8)));
            Assert.That(CkksSerializer.Serialize(parsed), Is.EqualTo(bytes));
            Assert.That(parsed.Data, Is.Not.EqualTo(ciphertext.Data), "compression rounds c0");
            Assert.That(CkksTestData.MaxError(values, decrypted), Is.LessThan(bound));
        });
    }

    [Test]
    public void VectorEncryptor_CompressedChunks_SameBytesAsSerializer()
    {
        // Arrange: the fused coefficient-form path must draw the same randomness and produce the same wire bytes
        var context = CkksTestData.Compressed;
        using var keyRandom = SeededRandomSource.FromLabel("fused-key");
        var generator = new CkksKeyGenerator(context, keyRandom);
        using var secretKey = generator.GenerateSecretKey();
        var publicKey = generator.GeneratePublicKey(secretKey);
        var values = CkksTestData.RandomValues(context.Parameters.ValuesPerCiphertext, 6);
        using var first = SeededRandomSource.FromLabel("fused");
        using var second = SeededRandomSource.FromLabel("fused");
        byte[]? streamed = null;

        // Act
        new CkksVectorEncryptor(context, new CkksEncryptor(context, publicKey, first)).Encrypt(values, (_, bytes) => streamed = bytes.ToArray());
        var serialised = CkksSerializer.Serialize(new CkksEncryptor(context, publicKey, second).Encrypt(values));

        // Assert
        Assert.That(streamed, Is.EqualTo(serialised));
    }

    [Test]
    public void Accumulator_CompressedChunks_ExactSumOfDecompressedCiphertexts()
    {
        // Arrange: 3 sites, 2 chunks; one more contribution after the sum was first read
        var context = CkksTestData.Compressed;
        using var random = SeededRandomSource.FromLabel("accumulate-compressed");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var encryptor = new CkksVectorEncryptor(context, new CkksEncryptor(context, generator.GeneratePublicKey(secretKey), random));
        var length = context.Parameters.ValuesPerCiphertext + 100;
        var accumulator = new CkksVectorAccumulator(context, length);
        var evaluator = new CkksEvaluator(context);
        var reference = new[] { new CkksCiphertext(context), new CkksCiphertext(context) };
        void Sink(long chunk, ReadOnlySpan<byte> bytes)
        {
            accumulator.Add(chunk, bytes);
            evaluator.AddInPlace(reference[chunk], CkksSerializer.ReadCiphertext(context, bytes));
        }

        // Act
        encryptor.Encrypt(CkksTestData.RandomValues(length, 1), Sink);
        encryptor.Encrypt(CkksTestData.RandomValues(length, 2), Sink);
        var early = accumulator.Chunks[0].Data.ToArray();
        encryptor.Encrypt(CkksTestData.RandomValues(length, 3), Sink);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(early, Is.Not.EqualTo(reference[0].Data));
            Assert.That(accumulator.Chunks[0].Data, Is.EqualTo(reference[0].Data));
            Assert.That(accumulator.Chunks[1].Data, Is.EqualTo(reference[1].Data));
            Assert.That(accumulator.IsComplete(3), Is.True);
        });
    }

    [Test]
    public void VectorDecryptor_SerialisedCompressedChunks_RecoversVector()
    {
        var context = CkksTestData.Compressed;
        using var random = SeededRandomSource.FromLabel("decrypt-bytes");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var values = CkksTestData.RandomValues(10000, 8);
        var decryptor = new CkksVectorDecryptor(context, new CkksDecryptor(context, secretKey));
        var decrypted = new double[values.Length];

        new CkksVectorEncryptor(context, new CkksEncryptor(context, generator.GeneratePublicKey(secretKey), random))
            .Encrypt(values, (chunk, bytes) => decryptor.DecryptChunk(bytes, chunk, decrypted));

        Assert.That(CkksTestData.MaxError(values, decrypted), Is.LessThan(System.Math.Pow(2, -20)));
    }

    [Test]
    public void CompressedShare_RoundTrip_IdempotentAndCompressed()
    {
        var context = CkksTestData.SmallModel;
        using var random = SeededRandomSource.FromLabel("compressed-share");
        using var key = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var ciphertext = new CkksEncryptor(context, key, random).Encrypt([1.0]);
        var share = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(2, 2, 2), random).GenShare(key, ciphertext);

        var bytes = share.ToBytes();
        var parsed = DecryptionShare.Parse(context, bytes);

        Assert.Multiple(() =>
        {
            Assert.That(bytes[5], Is.EqualTo((byte)CkksObjectKind.CompressedDecryptionShare));
            Assert.That(bytes, Has.Length.EqualTo(22 + (4096 * 45 / 8)));
            Assert.That(parsed.ToBytes(), Is.EqualTo(bytes));
        });
    }

    private static IEnumerable<TestCaseData> Malformations()
    {
        yield return new TestCaseData(new Func<byte[], byte[]>(b => b[..^1]), "exactly").SetName("ReadCompressed_Truncated_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => [.. b, 0]), "exactly").SetName("ReadCompressed_TrailingByte_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => Set(b, 5, (byte)CkksObjectKind.Ciphertext)), "exactly").SetName("ReadCompressed_RelabelledFull_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => Set(b, 5, (byte)CkksObjectKind.CompressedDecryptionShare)), "expected a ciphertext").SetName("ReadCompressed_RelabelledShare_Rejected");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => Set(b, 7, (byte)(b[7] ^ 0x10))), "other parameters").SetName("ReadCompressed_OtherParameters_Rejected");
        // the first c1 residue all ones: 2^54 - 1 >= q
        yield return new TestCaseData(new Func<byte[], byte[]>(b => SetRange(b, 22 + (3 * 2048 * 44 / 8), 7, 0xFF)), "out of range").SetName("ReadCompressed_OutOfRangeC1_Rejected");
    }

    [TestCaseSource(nameof(Malformations))]
    public void ReadCiphertext_MalformedCompressed_ThrowsFormatException(Func<byte[], byte[]> corrupt, string message)
    {
        var bytes = CompressedBytes();
        var accumulator = new CkksVectorAccumulator(CkksTestData.Compressed, 1);

        Assert.Multiple(() =>
        {
            Assert.That(() => CkksSerializer.ReadCiphertext(CkksTestData.Compressed, corrupt(bytes)), Throws.TypeOf<FormatException>().With.Message.Contains(message));
            Assert.That(() => accumulator.Add(0, corrupt(bytes)), Throws.TypeOf<FormatException>().With.Message.Contains(message));
            Assert.That(accumulator.Contributions(0), Is.Zero);
        });
    }

    [Test]
    public void ReadCompressed_UnderParametersWithoutCompression_Rejected()
    {
        // a well-formed compressed payload whose header claims parameters that do not compress
        var bytes = CompressedBytes();
        CkksTestData.Wide.Parameters.Fingerprint.Span.CopyTo(bytes.AsSpan(6));

        Assert.That(() => CkksSerializer.ReadCiphertext(CkksTestData.Wide, bytes), Throws.TypeOf<FormatException>().With.Message.Contains("do not compress"));
    }

    [Test]
    public void ReadCompressed_EveryHeaderBitFlip_RejectedAndPayloadFlipsChangeTheValue()
    {
        // Arrange
        var context = CkksTestData.Compressed;
        var bytes = CompressedBytes();
        var original = CkksSerializer.ReadCiphertext(context, bytes).Data;
        var random = new Random(11);
        var payloadBits = Enumerable.Range(0, 300).Select(_ => random.Next(22 * 8, bytes.Length * 8));

        foreach (var bit in Enumerable.Range(0, 22 * 8).Concat(payloadBits))
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));

            // Act
            ulong[]? parsed = null;
            try
            {
                parsed = CkksSerializer.ReadCiphertext(context, flipped).Data;
            }
            catch (FormatException)
            {
                // rejected: fine for any bit
            }

            // Assert: the header never parses; a payload flip that parses decodes to another ciphertext
            if (parsed is not null)
            {
                Assert.That(bit, Is.GreaterThanOrEqualTo(22 * 8), $"header bit {bit} flipped and still parsed");
                Assert.That(parsed, Is.Not.EqualTo(original), $"payload bit {bit} flipped without changing the ciphertext");
            }
        }
    }

    [Test]
    public void ParseCompressedShare_MalformedOrFlipped_RejectedOrChanged()
    {
        // Arrange
        var context = CkksTestData.SmallModel;
        using var random = SeededRandomSource.FromLabel("share-flips");
        using var key = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var bytes = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(2, 2, 2), random).GenShare(key, new CkksCiphertext(context)).ToBytes();
        var original = DecryptionShare.Parse(context, bytes).Data;
        var uncompressedContext = CkksTestData.Wide;
        var foreign = (byte[])bytes.Clone();
        uncompressedContext.Parameters.Fingerprint.Span.CopyTo(foreign.AsSpan(6));

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => DecryptionShare.Parse(context, bytes[..^1]), Throws.TypeOf<FormatException>().With.Message.Contains("exactly"));
            Assert.That(() => DecryptionShare.Parse(context, [.. bytes, 0]), Throws.TypeOf<FormatException>().With.Message.Contains("exactly"));
            Assert.That(() => DecryptionShare.Parse(context, Set(bytes, 5, (byte)CkksObjectKind.DecryptionShare)), Throws.TypeOf<FormatException>().With.Message.Contains("exactly"));
            Assert.That(() => DecryptionShare.Parse(uncompressedContext, foreign), Throws.TypeOf<FormatException>().With.Message.Contains("do not compress"));
            Assert.That(() => DecryptionShare.Parse(context, Set(bytes, 5, (byte)CkksObjectKind.CompressedCiphertext)), Throws.TypeOf<FormatException>().With.Message.Contains("expected a decryption share"));
            foreach (var bit in new[] { 22 * 8, (22 * 8) + 44, (bytes.Length * 8) - 1 })
            {
                var flipped = (byte[])bytes.Clone();
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.That(DecryptionShare.Parse(context, flipped).Data, Is.Not.EqualTo(original), $"payload bit {bit}");
            }
        });
    }

    private static byte[] CompressedBytes()
    {
        var context = CkksTestData.Compressed;
        using var random = SeededRandomSource.FromLabel("compressed-malformed");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        return CkksSerializer.Serialize(new CkksEncryptor(context, generator.GeneratePublicKey(secretKey), random).Encrypt([0.5, -0.25]));
    }
}
