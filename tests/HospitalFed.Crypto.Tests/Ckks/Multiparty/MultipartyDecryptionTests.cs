using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;

namespace HospitalFed.Crypto.Tests.Ckks.Multiparty;

public sealed class MultipartyDecryptionTests
{
    private const int Summands = 20;

    private static readonly Lazy<CkksContext> Context = new(() => new CkksContext(CkksPresets.SmallModel));

    [TestCase(3, 2)]
    [TestCase(5, 3)]
    [TestCase(10, 7)]
    public void ThresholdDecryption_OneSiteMissing_MatchesSingleKeyWithinBound(int parties, int threshold)
    {
        // Arrange
        var context = Context.Value;
        using var group = new MultipartyTestParties(context, parties, threshold, $"threshold-{parties}");
        var (aggregate, expected) = EncryptedSum(group, Summands);
        var budget = new CkksNoiseBudget(parties, Summands, parties - 1);
        var protocol = new CollectiveDecryptionProtocol(context, budget, group.Random);
        var active = group.Points[1..]; // party 1 is gone at decryption time

        // Act
        var shares = active.Select(point =>
        {
            using var additive = group.Threshold.CombineShare(group.ThresholdKeys[point - 1], active);
            return DecryptionShare.Parse(context, protocol.GenShare(additive, aggregate).ToBytes());
        }).ToList();
        var values = new double[aggregate.Capacity];
        protocol.Decrypt(aggregate, protocol.AggregateShares(shares), values);
        using var collective = group.CollectiveKeyForTesting();
        var singleKey = new CkksDecryptor(context, collective).Decrypt(aggregate);

        // Assert
        var bound = budget.PredictedMaxError(context.Parameters);
        Assert.Multiple(() =>
        {
            Assert.That(bound, Is.LessThan(System.Math.Pow(2, -20)));
            Assert.That(CkksTestData.MaxError(expected, values), Is.LessThan(bound));
            Assert.That(CkksTestData.MaxError(singleKey, values), Is.LessThan(bound));
            // the preset compresses uploads: the single-key result carries only their public rounding,
            // which rule 'compression precision' keeps within a quarter of 2^-20
            Assert.That(CkksTestData.MaxError(expected, singleKey), Is.LessThan(CkksNoiseBudget.PrecisionTarget / 4));
        });
    }

    [Test]
    public void NOfNDecryption_AllSecretKeys_RecoversSum()
    {
        // Arrange
        var context = Context.Value;
        using var group = new MultipartyTestParties(context, 3, 3, "n-of-n");
        var (aggregate, expected) = EncryptedSum(group, 5);
        var protocol = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(3, 5, 3), group.Random);

        // Act
        var aggregated = protocol.AggregateShares(group.SecretKeys.Select(sk => protocol.GenShare(sk, aggregate)));
        var values = new double[aggregate.Capacity];
        protocol.Decrypt(aggregate, aggregated, values);

        // Assert
        Assert.That(CkksTestData.MaxError(expected, values), Is.LessThan(System.Math.Pow(2, -20)));
    }

    [Test]
    public void DecryptChunk_StreamedVectorCollectively_RecoversSum()
    {
        // Arrange: a 6000-value vector (2 chunks of 4096) from 3 sites under a 3-party key
        var context = Context.Value;
        using var group = new MultipartyTestParties(context, 3, 3, "chunks");
        const int length = 6000;
        var accumulator = new CkksVectorAccumulator(context, length);
        var expected = new double[length];
        for (var site = 0; site < 3; site++)
        {
            var values = CkksTestData.RandomValues(length, 70 + site);
            for (var i = 0; i < length; i++)
            {
                expected[i] += values[i];
            }

            new CkksVectorEncryptor(context, new CkksEncryptor(context, group.PublicKey, group.Random)).Encrypt(values, accumulator.Add);
        }

        var protocol = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(3, 3, 3), group.Random);
        var sum = new double[length];

        // Act
        for (var chunk = 0; chunk < accumulator.Chunks.Count; chunk++)
        {
            var ciphertext = accumulator.Chunks[chunk];
            var aggregated = protocol.AggregateShares(group.SecretKeys.Select(sk => protocol.GenShare(sk, ciphertext)));
            protocol.DecryptChunk(ciphertext, aggregated, chunk, sum);
        }

        // Assert
        Assert.That(CkksTestData.MaxError(expected, sum), Is.LessThan(System.Math.Pow(2, -20)));
    }

    [Test]
    public void CombineShare_FewerThanThresholdActive_FailsCleanly()
    {
        using var group = new MultipartyTestParties(Context.Value, 5, 4, "too-few");

        Assert.That(() => group.Threshold.CombineShare(group.ThresholdKeys[0], [1, 2, 3]),
            Throws.ArgumentException.With.Message.Contains("at least t = 4"));
    }

    [Test]
    public void ThresholdDecryption_FewerThanThresholdSharesForced_DoesNotRecoverSum()
    {
        // Arrange: t = 3, but only 2 parties reconstruct (Lagrange over 2 points of a degree-2 polynomial)
        var context = Context.Value;
        using var group = new MultipartyTestParties(context, 4, 3, "forced");
        var (aggregate, expected) = EncryptedSum(group, 3);
        var protocol = new CollectiveDecryptionProtocol(context, new CkksNoiseBudget(4, 3, 2), group.Random);
        int[] active = [1, 2];
        var weakened = group.ThresholdKeys.Select(k => new ThresholdSecretKey(context, k.Point, 2, (ulong[])k.Data.Clone())).ToArray();

        // Act
        var shares = active.Select(point =>
        {
            using var additive = group.Threshold.CombineShare(weakened[point - 1], active);
            return protocol.GenShare(additive, aggregate);
        });
        var values = new double[aggregate.Capacity];
        protocol.Decrypt(aggregate, protocol.AggregateShares(shares), values);

        // Assert
        Assert.That(CkksTestData.MaxError(expected, values), Is.GreaterThan(1.0));
        foreach (var key in weakened)
        {
            key.Dispose();
        }
    }

    [Test]
    public void AggregateShares_MissingKeyHolderShare_Throws()
    {
        var context = Context.Value;
        using var random = SeededRandomSource.FromLabel("missing");
        using var key = new CkksKeyGenerator(context, random).GenerateSecretKey();
        var protocol = new ThresholdProtocol(context, random);
        var shares = protocol.GenShares(key, 2, [1, 2, 3]);

        Assert.Multiple(() =>
        {
            Assert.That(() => protocol.AggregateShares(1, 2, 3, [shares[0]]), Throws.ArgumentException.With.Message.Contains("each of the 3 key holders"));
            Assert.That(() => protocol.AggregateShares(2, 2, 1, [shares[0]]), Throws.ArgumentException.With.Message.Contains("point 1"));
        });
    }

    internal static (CkksCiphertext Aggregate, double[] Expected) EncryptedSum(MultipartyTestParties group, int summands)
    {
        var context = group.Context;
        var encryptor = new CkksEncryptor(context, group.PublicKey, group.Random);
        var evaluator = new CkksEvaluator(context);
        var aggregate = new CkksCiphertext(context);
        var expected = new double[context.Parameters.ValuesPerCiphertext];
        for (var site = 0; site < summands; site++)
        {
            var values = CkksTestData.RandomValues(expected.Length, 1000 + site);
            for (var i = 0; i < values.Length; i++)
            {
                expected[i] += values[i];
            }

            evaluator.AddInPlace(aggregate, CkksSerializer.ReadCiphertext(context, CkksSerializer.Serialize(encryptor.Encrypt(values))));
        }

        return (aggregate, expected);
    }
}
