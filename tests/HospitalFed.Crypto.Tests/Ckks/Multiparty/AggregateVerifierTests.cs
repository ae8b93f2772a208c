using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.Identity;

namespace HospitalFed.Crypto.Tests.Ckks.Multiparty;

public sealed class AggregateVerifierTests
{
    [Test]
    public void Verify_HonestSumPasses_SingleSitePresentedAsAggregateRejected()
    {
        // Arrange: three contributions (signatures are checked by VerifyQuorum; here only digests matter)
        var context = CkksTestData.Small;
        using var random = SeededRandomSource.FromLabel("verifier");
        using var key = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var encryptor = new CkksEncryptor(context, key, random);
        var vectors = Enumerable.Range(0, 3).ToDictionary(i => $"site-{i}", i => (IReadOnlyList<CkksCiphertext>)[encryptor.Encrypt([i + 0.5])]);
        var contributions = vectors.Select(v => new SignedContribution(v.Key, AggregateDigest.Compute(v.Value), new byte[64])).ToList();
        var evaluator = new CkksEvaluator(context);
        var honest = new CkksCiphertext(context);
        foreach (var v in vectors.Values)
        {
            evaluator.AddInPlace(honest, v[0]);
        }

        var tampered = new Dictionary<string, IReadOnlyList<CkksCiphertext>>(vectors) { ["site-1"] = [encryptor.Encrypt([9.0])] };

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => AggregateVerifier.Verify(contributions, vectors, [honest]), Throws.Nothing);
            Assert.That(() => AggregateVerifier.Verify(contributions, vectors, vectors["site-0"]), Throws.TypeOf<IdentityException>().With.Message.Contains("not the sum"));
            Assert.That(() => AggregateVerifier.Verify(contributions, tampered, [honest]), Throws.TypeOf<IdentityException>().With.Message.Contains("does not match"));
            Assert.That(() => AggregateVerifier.Verify(contributions, new Dictionary<string, IReadOnlyList<CkksCiphertext>>(), [honest]), Throws.TypeOf<IdentityException>().With.Message.Contains("not provided"));
        });
    }
}
