using HospitalFed.Learning.Features;

namespace HospitalFed.Learning.Tests.Features;

public sealed class FeatureStatisticsTests
{
    [Test]
    public void WriteTo_Always_StartsWithTheCentredFormTag()
    {
        // Arrange
        var statistics = new FeatureStatistics([4, 2], [10, 6], [5, 2]);
        var vector = new double[statistics.VectorLength];

        // Act
        statistics.WriteTo(vector);

        // Assert
        Assert.That(vector, Is.EqualTo(new double[] { FeatureStatistics.CentredFormTag, 4, 2, 10, 6, 5, 2 }));
    }

    [Test]
    public void ReadFrom_UntaggedVectorOfAnEarlierModel_ReadsTheThirdPartAsRawSumsOfSquares()
    {
        // Arrange: the values 1, 2, 3, 4 as an earlier version stored them: count 4, sum 10, sum of squares 30.
        double[] legacy = [4, 10, 30];

        // Act
        var statistics = FeatureStatistics.ReadFrom(legacy);

        // Assert: mean 2.5, centred sum of squares 1.5^2 + 0.5^2 + 0.5^2 + 1.5^2 = 5.
        Assert.Multiple(() =>
        {
            Assert.That(statistics.Mean(0), Is.EqualTo(2.5));
            Assert.That(statistics.CentredSumsOfSquares[0], Is.EqualTo(5));
            Assert.That(statistics.StandardDeviation(0), Is.EqualTo(Math.Sqrt(1.25)));
        });
    }

    [Test]
    public void ReadFrom_TaggedLengthWithoutTheTag_ThrowsNamingBothForms()
    {
        // Arrange: 1 + 3 x 1 elements, but the first is a count, not the tag.
        double[] vector = [4, 4, 10, 5];

        // Act
        var error = Assert.Throws<ArgumentException>(() => FeatureStatistics.ReadFrom(vector));

        // Assert
        Assert.That(error!.Message, Does.Contain("4 elements starting with 4").And.Contain("centred sums of squares").And.Contain("earlier versions"));
    }
}
