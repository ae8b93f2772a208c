using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.Tests.Ckks.Multiparty;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class CkksPresetTests
{
    [Test]
    public void DefaultPreset_HundredSitesThresholdDecryption_AbsoluteErrorBelowTwoToMinus20()
    {
        // Arrange: 100 sites' values in [-1, 1], a 10-party collective key with t = 7, one party
        // missing at decryption, smudging sized for the preset's 100-site design point.
        var context = new CkksContext(CkksPresets.Aggregation);
        using var group = new MultipartyTestParties(context, 10, 7, "preset-100");
        var (aggregate, expected) = MultipartyDecryptionTests.EncryptedSum(group, 100);
        var protocol = new CollectiveDecryptionProtocol(context, CkksNoiseBudget.HundredSites, group.Random);
        var active = group.Points[1..];

        // Act
        var shares = active.Select(point =>
        {
            using var additive = group.Threshold.CombineShare(group.ThresholdKeys[point - 1], active);
            return protocol.GenShare(additive, aggregate);
        }).ToList();
        var values = new double[aggregate.Capacity];
        protocol.Decrypt(aggregate, protocol.AggregateShares(shares), values);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(CkksNoiseBudget.HundredSites.PredictedMaxError(context.Parameters), Is.LessThan(System.Math.Pow(2, -20)));
            Assert.That(CkksTestData.MaxError(expected, values), Is.LessThan(System.Math.Pow(2, -20)));
        });
    }

    [TestCase("aggregation", 32768, 7.19)]
    [TestCase("small", 4096, 18.13)]
    [TestCase("large", 131072, 6.02)]
    public void Presets_WireSize_AsDocumented(string name, int valuesPerCiphertext, double bytesPerValue)
    {
        var parameters = name switch
        {
            "aggregation" => CkksPresets.Aggregation,
            "small" => CkksPresets.SmallModel,
            _ => CkksPresets.LargeModel,
        };

        var size = CkksSerializer.GetSize(new CkksCiphertext(new CkksContext(parameters)));

        Assert.Multiple(() =>
        {
            Assert.That(parameters.ValuesPerCiphertext, Is.EqualTo(valuesPerCiphertext));
            Assert.That((double)size / valuesPerCiphertext, Is.EqualTo(bytesPerValue).Within(0.01));
            Assert.That(parameters.ModulusBits, Is.LessThanOrEqualTo(109));
        });
    }

    [Test]
    public void NoiseBudget_WeakSmudgingOrTooLargeForModulus_Refused()
    {
        var small = new HospitalFed.Crypto.Ckks.CkksContext(CkksParameters.Create(2048, [54], 1 << 20));
        Assert.Multiple(() =>
        {
            Assert.That(() => new CkksNoiseBudget(3, 3, 3, StatisticalSecurityBits: 20).SmudgingBound(CkksPresets.Aggregation), Throws.ArgumentException.With.Message.Contains("security bits"));
            Assert.That(() => new CollectiveDecryptionProtocol(small, new CkksNoiseBudget(3, 3, 3)), Throws.ArgumentException.With.Message.Contains("does not fit"));
        });
    }

    [TestCase(1024, "ring degree")]
    [TestCase(2048, "128-bit security")]
    public void Parameters_OutsideSecurityTable_RefusedNamingRule(int n, string rule)
    {
        Assert.That(() => CkksParameters.Create(n, [30, 30], 1 << 20), Throws.ArgumentException.With.Message.Contains(rule));
    }

    [Test]
    public void Parameters_InconsistentInputs_RefusedNamingRule()
    {
        var primes = HospitalFed.Crypto.Arithmetic.PrimeGenerator.NttPrimes(40, 2, 4096);
        Assert.Multiple(() =>
        {
            Assert.That(() => new CkksParameters(4096, [primes[0], primes[0]], 1 << 20), Throws.ArgumentException.With.Message.Contains("distinct"));
            Assert.That(() => new CkksParameters(4096, [primes[0] + 2], 1 << 20), Throws.ArgumentException.With.Message.Contains("NTT-friendly"));
            Assert.That(() => new CkksParameters(4096, [primes[0] + 8192], 1 << 20), Throws.ArgumentException.With.Message.Contains("'prime'"));
            Assert.That(() => new CkksParameters(4096, primes, System.Math.Pow(2, 79)), Throws.ArgumentException.With.Message.Contains("scale"));
            Assert.That(() => new CkksParameters(4096, primes, 1 << 20, width: 0), Throws.ArgumentException.With.Message.Contains("width"));
            Assert.That(() => new CkksParameters(4096, primes, 1 << 20, specialPrimeCount: 2), Throws.ArgumentException.With.Message.Contains("special"));
            Assert.That(() => new CkksParameters(8192, primes, 1 << 20), Throws.ArgumentException.With.Message.Contains("NTT-friendly"));
        });
    }
}
