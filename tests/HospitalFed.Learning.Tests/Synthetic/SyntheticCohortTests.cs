using HospitalFed.Learning.Data;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Synthetic;

namespace HospitalFed.Learning.Tests.Synthetic;

public sealed class SyntheticCohortTests
{
    private static readonly Lazy<SyntheticCohort> Default = new(() => SyntheticCohort.Generate());

    [Test]
    public void Generate_SameOptions_ByteIdenticalExtracts()
    {
        // Arrange
        var options = new SyntheticCohortOptions { Rows = 2_000, Seed = 3 };

        // Act
        var first = SyntheticCohort.Generate(options);
        var second = SyntheticCohort.Generate(options);
        var otherSeed = SyntheticCohort.Generate(options with { Seed = 4 });

        // Assert
        Assert.That(second.SchemaJson, Is.EqualTo(first.SchemaJson));
        for (var s = 0; s < first.Sites.Count; s++)
        {
            Assert.That(second.Sites[s].TrainCsv, Is.EqualTo(first.Sites[s].TrainCsv));
            Assert.That(second.Sites[s].TestCsv, Is.EqualTo(first.Sites[s].TestCsv));
            Assert.That(otherSeed.Sites[s].TrainCsv, Is.Not.EqualTo(first.Sites[s].TrainCsv));
        }
    }

    [Test]
    public void Generate_Defaults_FourUnequalSitesOfAtLeast50000RowsLoadCleanly()
    {
        // Act
        var sites = Default.Value.Sites;
        var tables = sites.Select(s => (Train: s.LoadTrain(), Test: s.LoadTest())).ToList();

        // Assert
        Assert.That(sites, Has.Count.EqualTo(4));
        Assert.That(sites.Sum(s => s.TrainRows + s.TestRows), Is.GreaterThanOrEqualTo(50_000));
        Assert.That(sites.Select(s => s.TrainRows).Distinct().Count(), Is.EqualTo(4), "unequal site sizes");
        for (var s = 0; s < sites.Count; s++)
        {
            Assert.That(tables[s].Train.Rows, Is.EqualTo(sites[s].TrainRows), sites[s].Name);
            Assert.That(tables[s].Test.Rows, Is.EqualTo(sites[s].TestRows), sites[s].Name);
            Assert.That(tables[s].Train.Report.RowsRejected + tables[s].Train.Report.RowsDropped, Is.Zero, sites[s].Name);
        }
    }

    [Test]
    public void Generate_Defaults_LabelSkewAcrossSites()
    {
        // Act
        var prevalences = Default.Value.Sites.Select(s => Positives(s.LoadTrain()) / s.TrainRows).ToList();

        // Assert: the sites' prevalences (10%, 18%, 28%, 40% by design) are far apart and in order.
        Assert.That(prevalences, Is.Ordered.Ascending);
        Assert.That(prevalences[^1] - prevalences[0], Is.GreaterThan(0.2));
    }

    [Test]
    public void Generate_Defaults_CovariateShiftAndMissingValues()
    {
        // Arrange
        var cohort = Default.Value;
        var pipeline = new FeaturePipeline(cohort.Schema);
        var names = pipeline.FeatureNames.ToList();

        // Act: each site's own statistics, before any pooling.
        var statistics = cohort.Sites.Select(s => (Site: s, Stats: pipeline.ComputeStatistics(s.LoadTrain()))).ToList();

        // Assert
        var ages = statistics.Select(s => s.Stats.Mean(names.IndexOf("age"))).ToList();
        Assert.That(ages.Max() - ages.Min(), Is.GreaterThan(10), "site mean ages differ");
        var spreads = statistics.Select(s => s.Stats.StandardDeviation(names.IndexOf("age"))).ToList();
        Assert.That(spreads.Max() / spreads.Min(), Is.GreaterThan(1.3), "site age spreads differ");
        var scales = names.Where(n => n is "troponin" or "creatinine" or "age" or "systolic_bp")
            .Select(n => statistics[0].Stats.Mean(names.IndexOf(n))).ToList();
        Assert.That(scales.Max() / scales.Min(), Is.GreaterThan(1000), "numeric features on different scales");
        foreach (var (site, stats) in statistics)
        {
            Assert.That(stats.Counts[names.IndexOf("creatinine")], Is.LessThan(site.TrainRows), $"{site.Name}: creatinine has missing values");
            Assert.That(stats.Sums[names.IndexOf("creatinine_missing")], Is.GreaterThan(0), $"{site.Name}: creatinine indicator set");
            Assert.That(stats.Counts[names.IndexOf("troponin")], Is.LessThan(site.TrainRows), $"{site.Name}: troponin has missing values");
        }

        Assert.That(names, Does.Contain("admission_type=emergency").And.Contain("admission_type=transfer"));
    }

    [Test]
    public void WriteTo_Directory_FilesLoadWithTheSchemaFile()
    {
        // Arrange
        var cohort = SyntheticCohort.Generate(new SyntheticCohortOptions { Rows = 1_000 });
        var directory = Directory.CreateTempSubdirectory("hfed-synthetic-");
        try
        {
            // Act
            cohort.WriteTo(directory.FullName);
            var schema = ExtractSchema.Load(Path.Combine(directory.FullName, SyntheticCohort.SchemaFile));
            var site = cohort.Sites[2];
            var train = ExtractLoader.LoadFile(Path.Combine(directory.FullName, $"{site.Name}.train.csv"), schema);

            // Assert
            Assert.That(schema.FeatureColumns, Is.EqualTo(cohort.Schema.FeatureColumns));
            Assert.That(train.Rows, Is.EqualTo(site.TrainRows));
            Assert.That(train.Targets, Is.EqualTo(site.LoadTrain().Targets));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void Generate_TooFewRows_ThrowsNamingRows()
    {
        // Act and assert
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticCohort.Generate(new SyntheticCohortOptions { Rows = 10 }));
        Assert.That(error!.ParamName, Is.EqualTo("Rows"));
    }

    [Test]
    public void Validate_MaxRows_AcceptedAndOneMoreThrowsNamingRows()
    {
        // Arrange: the cap is the services' per-site count bound, no longer the old 1e9 statistics bound (120,000 rows).
        var largest = new SyntheticCohortOptions { Rows = SyntheticCohortOptions.MaxRows };

        // Act and assert
        Assert.DoesNotThrow(largest.Validate);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => (largest with { Rows = SyntheticCohortOptions.MaxRows + 1 }).Validate());
        Assert.That(error!.ParamName, Is.EqualTo("Rows"));
        Assert.That(SyntheticCohortOptions.MaxRows, Is.GreaterThan(120_000));
    }

    [TestCase(StandardizeMode.Numeric)]
    [TestCase(StandardizeMode.All)]
    public void Generate_Standardize_WrittenIntoTheSchema(StandardizeMode mode)
    {
        // Act
        var cohort = SyntheticCohort.Generate(new SyntheticCohortOptions { Rows = 400, Standardize = mode });

        // Assert: the schema JSON carries the mode, so sites that load the file standardise the same way.
        Assert.That(cohort.Schema.Standardize, Is.EqualTo(mode));
        Assert.That(ExtractSchema.Parse(cohort.SchemaJson).Standardize, Is.EqualTo(mode));
    }

    [Test]
    public void Generate_Defaults_StandardizesEveryFeature()
    {
        // Assert: the one-hot, sex and indicator features are centred and scaled too (see SyntheticCohortOptions.Standardize).
        Assert.That(Default.Value.Schema.Standardize, Is.EqualTo(StandardizeMode.All));
    }

    private static double Positives(ExtractTable table) => table.Targets.Sum(t => (double)t);
}
