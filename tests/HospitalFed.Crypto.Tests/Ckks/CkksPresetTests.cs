using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Ckks.Multiparty;
using HospitalFed.Crypto.Tests.Ckks.Multiparty;

namespace HospitalFed.Crypto.Tests.Ckks;

public sealed class CkksPresetTests
{
    [Test]
    public void DefaultPreset_HundredSitesThroughTheWire_ErrorWithinPredictedBoundAndAtMostEightBytesPerParameter()
    {
        // Arrange: 100 sites' values in [-1, 1] streamed compressed into the accumulator, a 10-party
        // collective key with t = 7, one party missing at decryption, smudging sized for the preset's
        // 100-site design point; the aggregate goes down compressed and the shares come back compressed.
        var context = new CkksContext(CkksPresets.Aggregation);
        using var group = new MultipartyTestParties(context, 10, 7, "preset-100");
        var length = context.Parameters.ValuesPerCiphertext;
        var accumulator = new CkksVectorAccumulator(context, length);
        var encryptor = new CkksVectorEncryptor(context, new CkksEncryptor(context, group.PublicKey, group.Random));
        var expected = new double[length];
        long uploaded = 0;
        for (var site = 0; site < 100; site++)
        {
            var update = CkksTestData.RandomValues(length, 1000 + site);
            for (var i = 0; i < length; i++)
            {
                expected[i] += update[i];
            }

            encryptor.Encrypt(update, (chunk, bytes) =>
            {
                uploaded += bytes.Length;
                accumulator.Add(chunk, bytes);
            });
        }

        var protocol = new CollectiveDecryptionProtocol(context, CkksNoiseBudget.HundredSites, group.Random);
        var active = group.Points[1..];

        // Act
        var aggregate = accumulator.Chunks[0];
        var download = CkksSerializer.Serialize(aggregate);
        var shareBytes = active.Select(point =>
        {
            using var additive = group.Threshold.CombineShare(group.ThresholdKeys[point - 1], active);
            return protocol.GenShare(additive, CkksSerializer.ReadCiphertext(context, download)).ToBytes();
        }).ToList();
        var values = new double[length];
        protocol.Decrypt(aggregate, protocol.AggregateShares(shareBytes.Select(b => DecryptionShare.Parse(context, b))), values);

        // Assert
        var bound = CkksNoiseBudget.HundredSites.PredictedMaxError(context.Parameters);
        var error = CkksTestData.MaxError(expected, values);
        var uploadPerParameter = uploaded / 100.0 / length;
        TestContext.Out.WriteLine($"100-site error 2^{System.Math.Log2(error):F2} (bound 2^{System.Math.Log2(bound):F2}); upload {uploadPerParameter:F3} B/param, download {(double)download.Length / length:F3}, share {(double)shareBytes[0].Length / length:F3}");
        Assert.Multiple(() =>
        {
            Assert.That(bound, Is.LessThan(CkksNoiseBudget.PrecisionTarget));
            Assert.That(error, Is.LessThan(bound));
            Assert.That(uploadPerParameter, Is.LessThanOrEqualTo(8.0));
            Assert.That(download, Has.Length.EqualTo(CkksSerializer.GetSize(aggregate)));
        });
    }

    [Test]
    public void PresetCompression_FortyFiveBits_LeastMeetingOneSixteenthOfSmudgingAndThePrecisionRule()
    {
        // Arrange: at the design point, 100 uploads' rounding variance S (Q / 2^w)^2 / 12 against the
        // summed smudging variance t B'^2 / 3
        var budget = CkksNoiseBudget.HundredSites;
        var parameters = CkksPresets.Aggregation;
        double Ratio(int bits) => budget.Summands * System.Math.Pow(2, 2 * (parameters.CiphertextModulusBits - bits)) / 12
            / (budget.Decryptors * System.Math.Pow(budget.SmudgingBound(parameters), 2) / 3);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(parameters.CompressionBits, Is.EqualTo(CkksPresets.CompressionBits));
            Assert.That(parameters.ShareCompressionBits, Is.EqualTo(CkksPresets.CompressionBits));
            Assert.That(Ratio(45), Is.LessThanOrEqualTo(1.0 / 16));
            Assert.That(Ratio(44), Is.GreaterThan(1.0 / 16));
            Assert.That(() => budget.EnsureCompressionFits(parameters), Throws.Nothing);
            Assert.That(() => budget.EnsureCompressionFits(Uncompressed(parameters).WithCompression(44, 44)),
                Throws.ArgumentException.With.Message.Contains("rule 'compression precision'"));
            Assert.That(budget.PredictedMaxError(parameters), Is.GreaterThan(budget.PredictedMaxError(Uncompressed(parameters))));
        });
    }

    [Test]
    public void Compression_CoarseOrImpossible_RefusedNamingTheRule()
    {
        var preset = Uncompressed(CkksPresets.Aggregation);
        var seal = CkksParameters.Create(8192, [60, 40, 40, 60], System.Math.Pow(2, 40), specialPrimeCount: 1);
        var coarse = new CkksContext(preset.WithCompression(30, 45));

        Assert.Multiple(() =>
        {
            Assert.That(() => preset.WithCompression(62, 45), Throws.ArgumentException.With.Message.Contains("rule 'compression bits'"));
            Assert.That(() => preset.WithCompression(45, -1), Throws.ArgumentException.With.Message.Contains("rule 'compression bits'"));
            Assert.That(() => CkksParameters.Create(2048, [30], 1 << 10).WithCompression(29, 0), Throws.ArgumentException.With.Message.Contains("rule 'compression bits'"));
            Assert.That(() => seal.WithCompression(45, 45), Throws.ArgumentException.With.Message.Contains("rule 'compression modulus'"));
            Assert.That(() => new CollectiveDecryptionProtocol(coarse, CkksNoiseBudget.HundredSites), Throws.ArgumentException.With.Message.Contains("rule 'compression precision'"));
            Assert.That(preset.WithCompression(45, 45).Fingerprint.ToArray(), Is.Not.EqualTo(preset.Fingerprint.ToArray()));
            Assert.That(preset.WithCompression(45, 45), Is.EqualTo(CkksPresets.Aggregation));
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

    private static CkksParameters Uncompressed(CkksParameters parameters) =>
        new(parameters.RingDegree, parameters.CoefficientModuli, parameters.Scale, parameters.Width, parameters.Packing, parameters.SpecialPrimeCount);

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
