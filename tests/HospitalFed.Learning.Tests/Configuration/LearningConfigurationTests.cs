using HospitalFed.Learning.Configuration;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;

namespace HospitalFed.Learning.Tests.Configuration;

public sealed class LearningConfigurationTests
{
    [Test]
    public void Parse_SampleConfiguration_BuildsLogisticRegressionAndFedAdam()
    {
        // Arrange
        var json = File.ReadAllText(Path.Combine(SampleData.HeartDiseaseDirectory, "learning.example.json"));

        // Act
        var configuration = LearningConfiguration.Parse(json);
        var model = configuration.CreateModel(13);
        var strategy = configuration.CreateStrategy(model.Layout.Count);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(model, Is.TypeOf<LogisticRegression<float>>());
            Assert.That(model.Layout.Count, Is.EqualTo(14));
            Assert.That(strategy, Is.TypeOf<FedAdam>());
            Assert.That(strategy.ServerLearningRate, Is.EqualTo(0.05f));
            Assert.That((configuration.Local.Schedule, configuration.Local.BatchSize, configuration.Local.ValidationFraction), Is.EqualTo((LearningRateSchedule.Cosine, 64, 0.1f)));
            Assert.That(configuration.Rounds, Is.EqualTo(50));
        });
    }

    [Test]
    public void SiteTrainingOptions_FedProx_CarriesTheProximalMu()
    {
        // Arrange
        var configuration = LearningConfiguration.Parse("""{ "strategy": { "kind": "fedProx", "proximalMu": 0.5 } }""");

        // Act
        var options = configuration.SiteTrainingOptions(round: 1, seed: 3);

        // Assert
        Assert.That((options.ProximalMu, options.Seed), Is.EqualTo((0.5f, (int?)3)));
    }

    [Test]
    public void CreateModel_MlpWithHiddenLayers_HasTheDeclaredLayout()
    {
        // Arrange
        var configuration = LearningConfiguration.Parse("""{ "model": { "kind": "mlp", "hiddenLayers": [8, 4], "classes": 3 } }""");

        // Act
        var model = configuration.CreateModel(5);

        // Assert
        Assert.That((model.OutputCount, model.Layout.Count), Is.EqualTo((3, (5 * 8) + 8 + (8 * 4) + 4 + (4 * 3) + 3)));
    }

    [TestCase("""{ "rounds": 0 }""", "rounds")]
    [TestCase("""{ "local": { "batchSize": -1 } }""", "BatchSize")]
    [TestCase("""{ "strategy": { "kind": "fedYogi", "beta2": 1.5 } }""", "beta")]
    [TestCase("""{ "strategy": { "kind": "fedMedian" } }""", "$.strategy.kind")]
    [TestCase("""{ "model": { "kind": "mlp", "hiddenLayers": [0] } }""", "hiddenLayers")]
    [TestCase("""{ "epochs": 3 }""", "epochs")]
    public void Parse_InvalidConfiguration_ThrowsNamingTheSetting(string json, string expected)
    {
        // Act / Assert
        Assert.That(() => LearningConfiguration.Parse(json), Throws.TypeOf<SchemaException>().With.Message.Contains(expected));
    }
}
