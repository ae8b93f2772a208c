using HospitalFed.Crypto.Quantization;

namespace HospitalFed.Crypto.Tests.Quantization;

public sealed class QuantizationPlanTests
{
    private static readonly byte[] RoundingSeed = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Test]
    public void DecodeSum_MaxSitesAtBothBounds_DoesNotWrap()
    {
        const int sites = 50;
        var plan = new QuantizationPlan([new QuantizationSegment("delta", 4, 2.5, ClipMode.PerCoordinate)], sites);
        var sum = new uint[4];
        float[] update = [2.5f, -2.5f, 2.5f, -2.5f];

        for (var site = 0; site < sites; site++)
        {
            Accumulate(plan, update, sum, site);
        }

        var decoded = plan.DecodeSum(sum);
        var step = 1 / plan.Scale(0);
        Assert.That(decoded[0], Is.EqualTo(sites * 2.5).Within(sites * step));
        Assert.That(decoded[1], Is.EqualTo(-sites * 2.5).Within(sites * step));
    }

    [Test]
    public void Encode_IntegerSegment_IsExact()
    {
        var plan = new QuantizationPlan([new QuantizationSegment("count", 3, 100_000, ClipMode.None, IsInteger: true)], 10);
        var sum = new uint[3];

        for (var site = 0; site < 10; site++)
        {
            Accumulate(plan, [1234, 0, 99_999], sum, site);
        }

        Assert.That(plan.DecodeSum(sum), Is.EqualTo(new[] { 12_340.0, 0, 999_990 }));
    }

    [Test]
    public void Encode_StochasticRounding_IsUnbiased()
    {
        var plan = new QuantizationPlan([new QuantizationSegment("delta", 1, 1.0, ClipMode.PerCoordinate)], 1 << 20);
        var step = 1 / plan.Scale(0);
        var value = (float)(7.3 * step); // 30% of the way between two steps
        const int trials = 20_000;
        var sum = 0L;

        for (var trial = 0; trial < trials; trial++)
        {
            var word = new uint[1];
            using var encoder = plan.CreateEncoder(new[] { value }, Seed(trial));
            encoder.Encode(0, word);
            sum += unchecked((int)word[0]);
        }

        // Each draw is 7 or 8 steps; the mean must sit near value*scale (4 standard errors).
        var mean = (double)sum / trials;
        var expected = value * plan.Scale(0);
        Assert.That(mean, Is.EqualTo(expected).Within(4 * Math.Sqrt(0.21 / trials)));
    }

    [Test]
    public void Encode_L2Clip_ScalesSegmentToTheBound()
    {
        var plan = new QuantizationPlan([new QuantizationSegment("delta", 2, 1.0, ClipMode.L2), new QuantizationSegment("metric", 1, 10, ClipMode.PerCoordinate)], 2);
        var words = new uint[3];

        using (var encoder = plan.CreateEncoder(new float[] { 3, 4, 20 }, RoundingSeed))
        {
            encoder.Encode(0, words);
        }

        var decoded = plan.DecodeSum(words);
        Assert.That(decoded[0], Is.EqualTo(0.6).Within(1e-6));
        Assert.That(decoded[1], Is.EqualTo(0.8).Within(1e-6));
        Assert.That(decoded[2], Is.EqualTo(10).Within(1e-6), "the metric segment clamps per coordinate");
    }

    [Test]
    public void Encode_ChunkByChunk_EqualsWholeVector()
    {
        var plan = new QuantizationPlan([new QuantizationSegment("a", 37, 1, ClipMode.PerCoordinate), new QuantizationSegment("b", 64, 5, ClipMode.L2)], 3);
        var update = Enumerable.Range(0, 101).Select(i => (float)Math.Sin(i)).ToArray();
        var whole = new uint[101];
        var chunked = new uint[101];

        using (var encoder = plan.CreateEncoder(update, RoundingSeed))
        {
            encoder.Encode(0, whole);
        }

        using (var encoder = plan.CreateEncoder(update, RoundingSeed))
        {
            for (var offset = 0; offset < 101; offset += 16)
            {
                encoder.Encode(offset, chunked.AsSpan(offset, Math.Min(16, 101 - offset)));
            }
        }

        Assert.That(chunked, Is.EqualTo(whole));
    }

    [Test]
    public void Encode_OutOfBoundWithoutClipping_IsRefusedNamingSegmentAndCoordinate()
    {
        var plan = new QuantizationPlan([new QuantizationSegment("delta", 2, 1, ClipMode.PerCoordinate), new QuantizationSegment("sample-count", 1, 1000, ClipMode.None, IsInteger: true)], 2);
        using var encoder = plan.CreateEncoder(new float[] { 0, 0, 1001 }, RoundingSeed);

        Assert.That(() => encoder.Encode(0, new uint[3]), Throws.ArgumentException.With.Message.Contains("'sample-count' coordinate 0 exceeds"));
    }

    [Test]
    public void Encode_NotFinite_IsRefusedWithoutTheValue()
    {
        var plan = new QuantizationPlan([new QuantizationSegment("delta", 3, 1, ClipMode.PerCoordinate)], 2);
        using var encoder = plan.CreateEncoder(new[] { 0f, float.NaN, 0f }, RoundingSeed);

        Assert.That(() => encoder.Encode(0, new uint[3]), Throws.ArgumentException.With.Message.EqualTo("segment 'delta' coordinate 1 is not finite"));

        var longPlan = new QuantizationPlan([new QuantizationSegment("delta", 24, 1, ClipMode.PerCoordinate)], 2);
        var update = new float[24];
        update[13] = float.PositiveInfinity;
        using var longEncoder = longPlan.CreateEncoder(update, RoundingSeed);
        Assert.That(() => longEncoder.Encode(0, new uint[24]), Throws.ArgumentException.With.Message.EqualTo("segment 'delta' coordinate 13 is not finite"));
    }

    [Test]
    public void Encode_BadValueInsideAVectorBlock_NamesItsCoordinate()
    {
        var plan = new QuantizationPlan([new QuantizationSegment("metric-sums", 40, 5, ClipMode.None)], 2);
        var update = new float[40];
        update[29] = 6;
        using var encoder = plan.CreateEncoder(update, RoundingSeed);

        Assert.That(() => encoder.Encode(0, new uint[40]), Throws.ArgumentException.With.Message.Contains("'metric-sums' coordinate 29 exceeds"));
    }

    [Test]
    public void Encode_VectorAndScalarPaths_AgreeBitForBit()
    {
        var plan = new QuantizationPlan([new QuantizationSegment("a", 1000, 0.75, ClipMode.PerCoordinate)], 7);
        var update = Enumerable.Range(0, 1000).Select(i => (float)(Math.Sin(i * 0.37) * 0.9)).ToArray();
        var whole = new uint[1000];
        var oneByOne = new uint[1000];

        using (var encoder = plan.CreateEncoder(update, RoundingSeed))
        {
            encoder.Encode(0, whole); // vector blocks of 8
        }

        using (var encoder = plan.CreateEncoder(update, RoundingSeed))
        {
            for (var i = 0; i < 1000; i++)
            {
                encoder.Encode(i, oneByOne.AsSpan(i, 1)); // below a vector: scalar path only
            }
        }

        Assert.That(whole, Is.EqualTo(oneByOne));
    }

    [Test]
    public void Constructor_IntegerBoundThatCouldWrap_IsRefused()
    {
        Assert.That(
            () => new QuantizationPlan([new QuantizationSegment("count", 1, 100_000_000, ClipMode.None, IsInteger: true)], 50),
            Throws.ArgumentException.With.Message.Contains("could wrap"));
    }

    [Test]
    public void CreateEncoder_WrongLength_IsRefused()
    {
        var plan = new QuantizationPlan([new QuantizationSegment("delta", 3, 1, ClipMode.PerCoordinate)], 2);

        Assert.That(() => plan.CreateEncoder(new float[2], RoundingSeed), Throws.ArgumentException.With.Message.Contains("expects 3"));
    }

    private static void Accumulate(QuantizationPlan plan, float[] update, uint[] sum, int site)
    {
        var words = new uint[update.Length];
        using var encoder = plan.CreateEncoder(update, Seed(site));
        encoder.Encode(0, words);
        for (var i = 0; i < words.Length; i++)
        {
            sum[i] = unchecked(sum[i] + words[i]);
        }
    }

    private static byte[] Seed(int value)
    {
        var seed = new byte[32];
        BitConverter.TryWriteBytes(seed, value);
        return seed;
    }
}
