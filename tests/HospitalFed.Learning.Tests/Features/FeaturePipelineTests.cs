using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Tests.Data;

namespace HospitalFed.Learning.Tests.Features;

public sealed class FeaturePipelineTests
{
    private static ExtractSchema Schema => ExtractSchema.Parse("""
        {
          "columns": [
            { "name": "age", "missing": "indicator" },
            { "name": "cp", "type": "categorical", "levels": ["a", "b", "c"], "dropFirstLevel": true },
            { "name": "y" }
          ],
          "target": { "column": "y", "greaterThan": 0 }
        }
        """);

    [Test]
    public void FeatureNames_SchemaOrder_OneHotAndIndicatorAreDeterministic()
    {
        // Act
        var names = new FeaturePipeline(Schema).FeatureNames;

        // Assert
        Assert.That(names, Is.EqualTo(new[] { "age", "age_missing", "cp=b", "cp=c" }));
    }

    [Test]
    public void PublicStatistics_DeclaredRanges_MapEveryInRangeValueIntoMinusOneToOne()
    {
        // Arrange: age declared in [20, 80]; bmi without bounds; a one-hot column and an indicator.
        var schema = ExtractSchema.Parse("""
            {
              "columns": [
                { "name": "age", "minimum": 20, "maximum": 80, "missing": "indicator" },
                { "name": "bmi" },
                { "name": "cp", "type": "categorical", "levels": ["a", "b"] },
                { "name": "y" }
              ],
              "target": { "column": "y", "greaterThan": 0 }
            }
            """);
        var pipeline = new FeaturePipeline(schema);

        // Act
        var statistics = pipeline.PublicStatistics();

        // Assert: age -> mean 50, deviation 30; age_missing, cp=a, cp=b -> [0, 1]; bmi unscaled.
        Assert.That(pipeline.FeatureNames, Is.EqualTo(new[] { "age", "age_missing", "bmi", "cp=a", "cp=b" }));
        Assert.That(Enumerable.Range(0, 5).Select(statistics.Mean), Is.EqualTo(new[] { 50, 0.5, 0, 0.5, 0.5 }));
        Assert.That(Enumerable.Range(0, 5).Select(statistics.StandardDeviation), Is.EqualTo(new[] { 30, 0.5, 1, 0.5, 0.5 }));
        var data = pipeline.Transform(TestSchemas.Load("80,1.5,a,1\n20,0,b,0\n", schema), statistics);
        Assert.That(data.Features.Take(5), Is.EqualTo(new float[] { 1, -1, 1.5f, 1, -1 }).Within(1e-6));
    }

    [Test]
    public void Transform_ExternalStatistics_ImputesAndStandardisesWithThem()
    {
        // Arrange: federated statistics say age has mean 50 and standard deviation 10.
        var pipeline = new FeaturePipeline(Schema);
        var table = TestSchemas.Load("60,b,1\n?,c,0\n", Schema);
        var statistics = new FeatureStatistics([4, 4, 4, 4], [200, 0, 0, 0], [4 * 100, 0, 0, 0]);

        // Act
        var data = pipeline.Transform(table, statistics);

        // Assert: (60 - 50) / 10 = 1; the missing age is imputed at the mean, i.e. 0 once standardised.
        Assert.That(data.Features, Is.EqualTo(new float[] { 1, 0, 1, 0, 0, 1, 0, 1 }).Within(1e-6));
    }

    [Test]
    public void ComputeStatistics_SumOfSites_EqualsStatisticsOfThePooledRows()
    {
        // Arrange
        var pipeline = new FeaturePipeline(Schema);
        var siteA = TestSchemas.Load("60,b,1\n?,c,0\n", Schema);
        var siteB = TestSchemas.Load("40,a,1\n", Schema);
        var pooled = TestSchemas.Load("60,b,1\n?,c,0\n40,a,1\n", Schema);

        // Act
        var federated = pipeline.ComputeStatistics(siteA) + pipeline.ComputeStatistics(siteB);
        var central = pipeline.ComputeStatistics(pooled);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(federated.Counts, Is.EqualTo(central.Counts));
            Assert.That(federated.Sums, Is.EqualTo(central.Sums));
            Assert.That(federated.CentredSumsOfSquares, Is.EqualTo(central.CentredSumsOfSquares));
            Assert.That(federated.Mean(0), Is.EqualTo(50));
            Assert.That(federated.StandardDeviation(0), Is.EqualTo(10).Within(1e-12));
        });
    }

    [Test]
    public void FeatureStatistics_VectorForm_RoundTrips()
    {
        // Arrange
        var statistics = new FeatureStatistics([1, 2], [3, 4], [5, 6]);
        var vector = new double[statistics.VectorLength];

        // Act
        statistics.WriteTo(vector);
        var back = FeatureStatistics.ReadFrom(vector);

        // Assert
        Assert.That((back.Counts, back.Sums, back.CentredSumsOfSquares), Is.EqualTo((statistics.Counts, statistics.Sums, statistics.CentredSumsOfSquares)));
    }

    [Test]
    public void Transform_StatisticsOfAnotherWidth_Throws()
    {
        // Arrange
        var pipeline = new FeaturePipeline(Schema);
        var table = TestSchemas.Load("60,b,1\n", Schema);

        // Act / Assert
        Assert.That(() => pipeline.Transform(table, new FeatureStatistics([1], [1], [1])), Throws.ArgumentException);
    }
}
