using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class CkksStreamingTests
{
    [Test]
    public void EncryptAccumulateDecrypt_ThreeSitesLongVector_SumWithinBound()
    {
        // Arrange: 15000 values over 6144-value ciphertexts = 3 chunks, the last partial
        var context = CkksTestData.Wide;
        using var random = SeededRandomSource.FromLabel("stream");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var publicKey = generator.GeneratePublicKey(secretKey);
        const int length = 15000;
        var accumulator = new CkksVectorAccumulator(context, length);
        var expected = new double[length];

        // Act
        for (var site = 0; site < 3; site++)
        {
            var values = CkksTestData.RandomValues(length, 50 + site);
            for (var i = 0; i < length; i++)
            {
                expected[i] += values[i];
            }

            new CkksVectorEncryptor(context, new CkksEncryptor(context, publicKey, random)).Encrypt(values, accumulator.Add);
        }

        var sum = new double[length];
        new CkksVectorDecryptor(context, new CkksDecryptor(context, secretKey)).Decrypt(accumulator.Chunks, sum);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(accumulator.Chunks, Has.Count.EqualTo(3));
            Assert.That(accumulator.IsComplete(3), Is.True);
            Assert.That(CkksTestData.MaxError(expected, sum), Is.LessThan(System.Math.Pow(2, -20)));
        });
    }

    [Test]
    public void Encrypt_Float32Vector_MatchesWidenedValues()
    {
        var context = CkksTestData.Wide;
        using var random = SeededRandomSource.FromLabel("float");
        using var secretKey = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var values = CkksTestData.RandomValues(7000, 3).Select(v => (float)v).ToArray();
        var accumulator = new CkksVectorAccumulator(context, values.Length);

        new CkksVectorEncryptor(context, new CkksEncryptor(context, secretKey, random)).Encrypt(values, accumulator.Add);
        var decrypted = new double[values.Length];
        new CkksVectorDecryptor(context, new CkksDecryptor(context, secretKey)).Decrypt(accumulator.Chunks, decrypted);

        Assert.That(CkksTestData.MaxError([.. values.Select(v => (double)v)], decrypted), Is.LessThan(System.Math.Pow(2, -20)));
    }

    [Test]
    public void Encrypt_ManyChunks_AllocatesNothingPerChunk()
    {
        // Arrange: bounded memory means per-chunk work reuses its buffers; compare 4 and 40 chunks.
        var context = CkksTestData.Wide;
        using var random = SeededRandomSource.FromLabel("alloc");
        var generator = new CkksKeyGenerator(context, random);
        using var secretKey = generator.GenerateSecretKey();
        var encryptor = new CkksVectorEncryptor(context, new CkksEncryptor(context, generator.GeneratePublicKey(secretKey), random));
        var small = new double[4 * context.Parameters.ValuesPerCiphertext];
        var large = new double[40 * context.Parameters.ValuesPerCiphertext];
        long bytes = 0;
        void Sink(long index, ReadOnlySpan<byte> ciphertext) => bytes += ciphertext.Length;
        encryptor.Encrypt(small, Sink); // warm up

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        encryptor.Encrypt(small, Sink);
        var smallAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        encryptor.Encrypt(large, Sink);
        var largeAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert: 36 more chunks cost less than one ciphertext's worth of allocation
        Assert.That(largeAllocated - smallAllocated, Is.LessThan(CkksSerializer.GetSize(new CkksCiphertext(context))));
    }

    [Test]
    public void AccumulatorAdd_ChunkOutsideVectorOrMalformed_RejectedAndNothingAdded()
    {
        var context = CkksTestData.Small;
        var accumulator = new CkksVectorAccumulator(context, 1000);
        var bytes = CkksSerializer.Serialize(new CkksCiphertext(context));

        Assert.Multiple(() =>
        {
            Assert.That(() => accumulator.Add(1, bytes), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => accumulator.Add(0, bytes[..^8]), Throws.TypeOf<FormatException>());
            Assert.That(accumulator.Contributions(0), Is.Zero);
        });
    }
}
