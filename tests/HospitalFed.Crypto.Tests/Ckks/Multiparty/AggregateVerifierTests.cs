using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Tests.Ckks.Multiparty;

public sealed class AggregateVerifierTests
{
    [Test]
    public void VerifyMasks_HonestC1SumPasses_OneContributorsC1OrAlteredSectionsRejected()
    {
        // Arrange: three public-key uploads of two chunks each, as sites send them (compressed preset).
        var context = CkksTestData.SmallModel;
        using var random = SeededRandomSource.FromLabel("mask-verifier");
        using var key = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var publicKey = new CkksKeyGenerator(context, random).GeneratePublicKey(key);
        var uploads = Enumerable.Range(0, 3).ToDictionary(i => $"site-{i}", i => Upload(context, publicKey, random, i));
        var contributions = uploads.Select(u => new SignedContribution(u.Key, AggregateDigest.ComputeContribution(context, u.Value.Select(c => (ReadOnlyMemory<byte>)c)), new byte[64])).ToList();
        var masks = uploads.Select(u => Masks(context, u.Key, u.Value)).ToList();
        var accumulator = new CkksVectorAccumulator(context, 2L * context.Parameters.ValuesPerCiphertext);
        foreach (var upload in uploads.Values)
        {
            for (var i = 0; i < upload.Length; i++)
            {
                accumulator.Add(i, upload[i]);
            }
        }

        var honest = accumulator.Chunks;
        var victim = uploads["site-1"].Select(c => CkksSerializer.ReadCiphertext(context, c)).ToList();
        var altered = masks.ToList();
        var flipped = altered[2].MaskSections[1].ToArray();
        flipped[100] ^= 0x04;
        altered[2] = altered[2] with { MaskSections = [altered[2].MaskSections[0], flipped] };

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => AggregateVerifier.VerifyMasks(context, contributions, masks, honest), Throws.Nothing);
            Assert.That(() => AggregateVerifier.VerifyMasks(context, contributions, masks, victim), Throws.TypeOf<IdentityException>().With.Message.Contains("not the sum"));
            Assert.That(() => AggregateVerifier.VerifyMasks(context, contributions, altered, honest), Throws.TypeOf<IdentityException>().With.Message.Contains("do not match the digest"));
            Assert.That(() => AggregateVerifier.VerifyMasks(context, contributions, masks[..2], honest), Throws.TypeOf<IdentityException>().With.Message.Contains("the contributors are"));
            Assert.That(() => AggregateVerifier.VerifyMasks(context, contributions[..2], masks[..2], honest), Throws.TypeOf<IdentityException>().With.Message.Contains("not the sum"));
        });
    }

    [Test]
    public void ComputeContribution_FromSplitParts_EqualsOverWholeChunksAndDiffersFromTheOldDigest()
    {
        // Arrange
        var context = CkksTestData.SmallModel;
        using var random = SeededRandomSource.FromLabel("contribution-digest");
        using var key = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var upload = Upload(context, new CkksKeyGenerator(context, random).GeneratePublicKey(key), random, 1);
        var parts = upload.Select(c => AggregateDigest.SplitChunk(context, c)).ToList();

        // Act
        var whole = AggregateDigest.ComputeContribution(context, upload.Select(c => (ReadOnlyMemory<byte>)c));
        var fromParts = AggregateDigest.ComputeContribution([.. parts.Select(p => (ReadOnlyMemory<byte>)p.HeadHash)], [.. parts.Select(p => p.MaskSection)]);
        var seeded = CkksSerializer.Serialize(new CkksEncryptor(context, key, random).Encrypt([1.0]));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(fromParts, Is.EqualTo(whole));
            Assert.That(whole, Is.Not.EqualTo(AggregateDigest.ComputeSplit([.. upload.Select(c => CkksSerializer.ReadCiphertext(context, c))])), "a domain of its own");
            Assert.That(parts.All(p => p.MaskSection.Length == context.CiphertextPrimeCount * context.N * 50 / 8), Is.True, "c1 is the tail: two 50-bit primes");
            Assert.That(() => AggregateDigest.SplitChunk(context, seeded), Throws.TypeOf<FormatException>().With.Message.Contains("public-key ciphertext"));
            Assert.That(() => AggregateDigest.SplitChunk(context, upload[0][..^1]), Throws.TypeOf<FormatException>());
        });
    }

    private static byte[][] Upload(CkksContext context, CkksPublicKey publicKey, IRandomSource random, int seed)
    {
        var values = Enumerable.Range(0, 2 * context.Parameters.ValuesPerCiphertext).Select(j => ((j * (seed + 3)) % 17 / 17.0) - 0.5).ToArray();
        var chunks = new List<byte[]>();
        new CkksVectorEncryptor(context, new CkksEncryptor(context, publicKey, random)).Encrypt(values, (_, bytes) => chunks.Add(bytes.ToArray()));
        return [.. chunks];
    }

    private static ContributorMasks Masks(CkksContext context, string name, byte[][] upload)
    {
        var parts = upload.Select(c => AggregateDigest.SplitChunk(context, c)).ToList();
        return new ContributorMasks(name, [.. parts.Select(p => (ReadOnlyMemory<byte>)p.HeadHash)], [.. parts.Select(p => p.MaskSection)]);
    }
}
