using System.Runtime.InteropServices;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Crypto.Tests.SecAgg;

public sealed class MaskedInputStatisticsTests
{
    // Chi-square critical value for 255 degrees of freedom at alpha = 1e-4 (about 339.7).
    private const double ChiSquareCritical = 340;
    private const int Dimension = 16 * 1024;

    private TestSites _sites = null!;

    [OneTimeSetUp]
    public void CreateSites() => _sites = new TestSites(3);

    [OneTimeTearDown]
    public void DisposeSites() => _sites.Dispose();

    [TestCase(0f)]
    [TestCase(1f)]
    [TestCase(-1f)]
    public void MaskedInput_ConstantInput_BytesAreUniform(float value)
    {
        var bytes = MaskedBytesOfSite0(value, seed: 11);

        Assert.That(ChiSquareUniform(Histogram(bytes)), Is.LessThan(ChiSquareCritical));
    }

    [Test]
    public void MaskedInput_ExtremeInputs_HaveTheSameByteDistribution()
    {
        var zeros = Histogram(MaskedBytesOfSite0(0f, seed: 12));
        var maxima = Histogram(MaskedBytesOfSite0(1f, seed: 13));

        // Two-sample chi-square test of homogeneity, 255 degrees of freedom.
        var statistic = 0.0;
        for (var b = 0; b < 256; b++)
        {
            var total = zeros[b] + maxima[b];
            if (total > 0)
            {
                statistic += Math.Pow(zeros[b] - maxima[b], 2) / total;
            }
        }

        Assert.That(statistic, Is.LessThan(ChiSquareCritical));
    }

    [Test]
    public void MaskedInput_RandomInput_IsUncorrelatedWithTheInput()
    {
        using var harness = new SecAggHarness(_sites, 3, 2, Dimension, seed: 14);
        var words = MaskedWords(harness, 0);
        var input = harness.Inputs[0];

        var n = Dimension;
        var x = input.Take(n).Select(v => (double)v).ToArray();
        var y = words.Take(n).Select(w => (double)w).ToArray();
        var mx = x.Average();
        var my = y.Average();
        var cov = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        var r = cov / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));

        Assert.That(Math.Abs(r), Is.LessThan(4 / Math.Sqrt(n)));
    }

    private byte[] MaskedBytesOfSite0(float value, int seed)
    {
        using var harness = new SecAggHarness(_sites, 3, 2, Dimension, seed: seed);
        Array.Fill(harness.Inputs[0], value, 0, Dimension);
        return MemoryMarshal.AsBytes(MaskedWords(harness, 0).AsSpan()).ToArray();
    }

    private static uint[] MaskedWords(SecAggHarness harness, int site)
    {
        harness.AdvertiseKeys();
        harness.ShareKeys();
        harness.ReceiveShares();
        harness.MaskInputs();
        var name = harness.Sites[site].Name;
        return harness.Transcript.OfType<SecAggMaskedInputChunk>()
            .Where(c => c.Sender == name)
            .OrderBy(c => c.Offset)
            .SelectMany(c => MemoryMarshal.Cast<byte, uint>(c.Words.Span).ToArray())
            .ToArray();
    }

    private static long[] Histogram(byte[] bytes)
    {
        var counts = new long[256];
        foreach (var b in bytes)
        {
            counts[b]++;
        }

        return counts;
    }

    private static double ChiSquareUniform(long[] counts)
    {
        var expected = counts.Sum() / 256.0;
        return counts.Sum(c => Math.Pow(c - expected, 2) / expected);
    }
}
