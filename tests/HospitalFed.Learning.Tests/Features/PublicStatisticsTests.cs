using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Simulation;
using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Learning.Tests.Features;

/// <summary>Statistics from the schema's declared ranges, for plans with differential privacy.</summary>
public sealed class PublicStatisticsTests
{
    [Test]
    public void FromSchema_HeartDisease_UsesTheUniformDistributionOverEachDeclaredRange()
    {
        // Arrange
        var pipeline = new FeaturePipeline(ExtractSchema.Load(Path.Combine(SampleData.HeartDiseaseDirectory, FedHeartDisease.SchemaFile)));

        // Act
        var statistics = PublicStatistics.FromSchema(pipeline);

        // Assert: age in [0, 120], sex 0/1, cp=2 one of four levels, oldpeak in [-10, 10].
        var names = pipeline.FeatureNames.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(statistics.FeatureCount, Is.EqualTo(13));
            Assert.That(statistics.Mean(names.IndexOf("age")), Is.EqualTo(60));
            Assert.That(statistics.StandardDeviation(names.IndexOf("age")), Is.EqualTo(120 / Math.Sqrt(12)).Within(1e-12));
            Assert.That(statistics.Mean(names.IndexOf("sex")), Is.EqualTo(0.5));
            Assert.That(statistics.StandardDeviation(names.IndexOf("sex")), Is.EqualTo(0.5));
            Assert.That(statistics.Mean(names.IndexOf("cp=2")), Is.EqualTo(0.25));
            Assert.That(statistics.StandardDeviation(names.IndexOf("cp=2")), Is.EqualTo(Math.Sqrt(0.25 * 0.75)).Within(1e-12));
            Assert.That(statistics.Mean(names.IndexOf("oldpeak")), Is.EqualTo(0));
        });
    }

    [Test]
    public void FromSchema_StandardisedColumnWithoutMaximum_IsRefusedNamingTheColumn()
    {
        // Arrange
        var schema = ExtractSchema.Parse("""
            { "columns": [ { "name": "crp", "type": "numeric", "minimum": 0 }, { "name": "y", "type": "binary" } ],
              "target": { "column": "y", "kind": "binary", "greaterThan": 0 } }
            """);

        // Act
        var ex = Assert.Throws<ArgumentException>(() => PublicStatistics.FromSchema(new FeaturePipeline(schema)))!;

        // Assert
        Assert.That(ex.Message, Does.StartWith("column 'crp' declares no maximum"));
    }

    [Test]
    public void SyntheticCentres_SixteenSites_CutEachHospitalIntoFourWithEveryRowOnce()
    {
        // Arrange
        var options = new SyntheticCohortOptions { Rows = 4_000 };
        var cohort = SyntheticCohort.Generate(options);

        // Act
        var centres = SyntheticCentres.Load(options, 16);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(centres, Has.Count.EqualTo(16));
            Assert.That(centres[0].Name, Is.EqualTo("site-a1"));
            Assert.That(centres.Sum(c => c.Train.Rows), Is.EqualTo(cohort.Sites.Sum(s => s.TrainRows)));
            Assert.That(centres.Sum(c => c.Test.Rows), Is.EqualTo(cohort.Sites.Sum(s => s.TestRows)));
            Assert.That(centres.Take(4).Sum(c => c.Train.Rows), Is.EqualTo(cohort.Sites[0].TrainRows));
            Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticCentres.Load(options, 6));
        });
    }
}
