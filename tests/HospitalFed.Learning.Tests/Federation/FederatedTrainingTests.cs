using System.Text.Json.Nodes;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Simulation;

namespace HospitalFed.Learning.Tests.Federation;

public sealed class FederatedTrainingTests
{
    private static readonly string[] Features = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak"];

    private static ExtractSchema Schema => ExtractSchema.Load(Path.Combine(SampleData.HeartDiseaseDirectory, FedHeartDisease.SchemaFile));

    private static FederatedTraining Parse(string hyperparameters, string strategy) =>
        FederatedTraining.Parse(new JsonObject
        {
            ["model"] = new JsonObject { ["kind"] = "logistic" },
            ["hyperparameters"] = JsonNode.Parse(hyperparameters),
            ["strategy"] = JsonNode.Parse(strategy),
        });

    [Test]
    public void FeatureMismatch_SchemaColumnsInOrder_IsNull()
    {
        Assert.That(Schema.FeatureColumns, Is.EqualTo(Features));
        Assert.That(FederatedTraining.FeatureMismatch(Features, Schema), Is.Null);
    }

    [Test]
    public void FeatureMismatch_SixColumnPlan_NamesTheMissingAndExtraColumns()
    {
        // Arrange: the plan of issue 12, naming six heart-disease columns, one of them not in the schema.
        string[] planned = ["age", "sex", "cp", "trestbps", "chol", "thal"];

        // Act
        var reason = FederatedTraining.FeatureMismatch(planned, Schema);

        // Assert
        Assert.That(reason, Does.Contain("not in the schema: thal"));
        Assert.That(reason, Does.Contain("in the schema but not in the plan: fbs, restecg, thalach, exang, oldpeak"));
    }

    [Test]
    public void FeatureMismatch_SameColumnsReordered_SaysSo()
    {
        var reason = FederatedTraining.FeatureMismatch([.. Features.Reverse()], Schema);

        Assert.That(reason, Does.Contain("another order"));
    }

    [Test]
    public void SiteOptions_DerivedSeeds_DependOnPlanRoundAndSiteAndRepeat()
    {
        // Arrange
        var training = Parse("""{"learningRate":0.05}""", """{"kind":"fedavg"}""");

        // Act
        var seed = training.SiteOptions("plan-a", 2, 10, "cleveland").Seed;

        // Assert
        Assert.That(seed, Is.Not.Null);
        Assert.That(training.SiteOptions("plan-a", 2, 10, "cleveland").Seed, Is.EqualTo(seed));
        Assert.That(training.SiteOptions("plan-a", 3, 10, "cleveland").Seed, Is.Not.EqualTo(seed));
        Assert.That(training.SiteOptions("plan-a", 2, 10, "hungarian").Seed, Is.Not.EqualTo(seed));
        Assert.That(training.SiteOptions("plan-b", 2, 10, "cleveland").Seed, Is.Not.EqualTo(seed));
    }

    [Test]
    public void SiteOptions_FreshSeeds_LeaveTheSeedToTheCsprng()
    {
        var training = Parse("""{"seeds":"fresh"}""", """{"kind":"fedavg"}""");

        Assert.That(training.SiteOptions("plan-a", 2, 10, "cleveland").Seed, Is.Null);
    }

    [Test]
    public void CreateStrategy_PlanServerLearningRate_ScalesTheStep()
    {
        // Arrange: one site, n = 2, weighted delta [2, -4] -> average delta [1, -2].
        var layout = new UpdateVectorLayout(2, 0);
        float[] sum = [2, -4, 2];
        var plain = new float[2];
        var half = new float[2];

        // Act
        Parse("{}", """{"kind":"fedavg"}""").CreateStrategy(2).Apply(plain, sum, layout);
        Parse("{}", """{"kind":"fedavg","serverLearningRate":0.5}""").CreateStrategy(2).Apply(half, sum, layout);

        // Assert
        Assert.That(plain, Is.EqualTo(new[] { 1f, -2f }));
        Assert.That(half, Is.EqualTo(new[] { 0.5f, -1f }));
    }

    [Test]
    public void Parse_FedProx_PutsItsMuIntoTheSitesOptions()
    {
        var training = Parse("{}", """{"kind":"fedprox","proximalMu":0.3}""");

        Assert.That(training.Local.ProximalMu, Is.EqualTo(0.3f));
        Assert.That(training.SiteOptions("p", 2, 10, "s").ProximalMu, Is.EqualTo(0.3f));
    }
}
