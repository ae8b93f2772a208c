using HospitalFed.Crypto.Quantization;
using HospitalFed.Crypto.SecAgg;

namespace HospitalFed.Crypto.Tests.SecAgg;

public sealed class SecAggParametersTests
{
    private static readonly string[] Names = ["c", "a", "e", "b", "d"];
    private static readonly QuantizationPlan Plan = new([new QuantizationSegment("delta", 4, 1, ClipMode.PerCoordinate)], 10);

    [Test]
    public void Constructor_SortsParticipantsOrdinally()
    {
        var parameters = new SecAggParameters("plan", 1, Names, 3, Plan);

        Assert.That(parameters.Participants, Is.EqualTo(new[] { "a", "b", "c", "d", "e" }));
        Assert.That(parameters.IndexOf("c"), Is.EqualTo(2));
        Assert.That(parameters.IndexOf("z"), Is.EqualTo(-1));
    }

    [TestCase(2, TestName = "Constructor_ThresholdAtMostHalf_IsRefused")]
    [TestCase(6, TestName = "Constructor_ThresholdAboveN_IsRefused")]
    public void Constructor_ThresholdOutOfRange_IsRefused(int threshold)
    {
        Assert.That(() => new SecAggParameters("plan", 1, Names, threshold, Plan), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("threshold"));
    }

    [Test]
    public void Constructor_QuantisationForFewerSites_IsRefused()
    {
        var small = new QuantizationPlan([new QuantizationSegment("delta", 4, 1, ClipMode.PerCoordinate)], 4);

        Assert.That(() => new SecAggParameters("plan", 1, Names, 3, small), Throws.ArgumentException.With.Message.Contains("could wrap"));
    }

    [Test]
    public void Constructor_DuplicateParticipant_IsRefused()
    {
        Assert.That(() => new SecAggParameters("plan", 1, ["a", "b", "a"], 2, Plan), Throws.ArgumentException.With.Message.Contains("'a' is listed twice"));
    }

    [TestCase(3)]
    [TestCase(4)]
    public void Constructor_BadNeighbourCount_IsRefused(int k)
    {
        Assert.That(() => new SecAggParameters("plan", 1, Names, 3, Plan, neighbours: k), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("SecAgg+"));
    }
}
