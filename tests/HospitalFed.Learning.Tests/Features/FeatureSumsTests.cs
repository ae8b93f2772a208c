using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Tests.Data;

namespace HospitalFed.Learning.Tests.Features;

public sealed class FeatureSumsTests
{
    private static ExtractSchema Schema => ExtractSchema.Parse("""
        { "columns": [ { "name": "x" }, { "name": "y" } ], "target": { "column": "y", "greaterThan": 0 } }
        """);

    [Test]
    public void Pool_ManySitesWhoseLimbsCarry_EqualsTheStatisticsOfThePooledRows()
    {
        // Arrange: 16777215 = 2^24 - 1 fills its limbs with ones, so 300 sites' limb sums exceed 2^20 and carry.
        var pipeline = new FeaturePipeline(Schema);
        var rows = Enumerable.Range(0, 300).Select(i => $"{(i % 2 == 0 ? "16777215" : "-0.000123")},{i % 2}\n").ToArray();

        // Act
        var pooled = FeatureSums.Pool(rows.Select(r => pipeline.ComputeSums(TestSchemas.Load(r, Schema))));
        var central = pipeline.ComputeStatistics(TestSchemas.Load(string.Concat(rows), Schema));

        // Assert
        Assert.That((pooled.Counts, pooled.Sums, pooled.CentredSumsOfSquares), Is.EqualTo((central.Counts, central.Sums, central.CentredSumsOfSquares)));
    }

    [Test]
    public void ReadFrom_CoordinateNotAWholeNumber_ThrowsNamingTheCoordinate()
    {
        // Arrange
        var vector = new double[FeatureSums.VectorLength(1)];
        vector[0] = 1;
        vector[3] = 0.5;

        // Act
        var error = Assert.Throws<ArgumentException>(() => FeatureSums.ReadFrom(vector, 1));

        // Assert
        Assert.That(error!.Message, Does.StartWith("Statistics coordinate 3 is 0.5, not a whole number"));
    }

    [Test]
    public void ReadFrom_SumWithoutValues_ThrowsNamingTheFeature()
    {
        // Arrange: count 0 but a non-zero sum limb.
        var vector = new double[FeatureSums.VectorLength(2)];
        vector[2 + FeatureSums.SumLimbs] = 1;

        // Act
        var error = Assert.Throws<ArgumentException>(() => FeatureSums.ReadFrom(vector, 2));

        // Assert
        Assert.That(error!.Message, Does.StartWith("Feature 1: count 0, sum and sum of squares are inconsistent"));
    }
}
