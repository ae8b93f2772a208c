using System.Text.Json.Nodes;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Models;
using HospitalFed.Learning.Optimization;
using HospitalFed.Learning.Tests.Optimization;

namespace HospitalFed.Learning.Tests.Federation;

/// <summary>Every <c>hyperparameters</c> member of a plan changes what a site's training does, through the same path as a site (SiteOptions, then LocalTrainer).</summary>
public sealed class PlanHyperparameterEffectTests
{
    private const string Base = "\"localEpochs\":8,\"validationFraction\":0.2";

    private static FederatedTraining Parse(string hyperparameters) =>
        FederatedTraining.Parse(new JsonObject
        {
            ["model"] = new JsonObject { ["kind"] = "logistic" },
            ["hyperparameters"] = JsonNode.Parse($"{{{hyperparameters}}}"),
            ["strategy"] = new JsonObject { ["kind"] = "fedavg" },
        });

    /// <summary>Trains like a site in round 2 of 10 and returns the parameters and the mean training loss.</summary>
    private static (float[] Parameters, double Loss) TrainLikeASite(string hyperparameters, string planId = "plan-a")
    {
        var data = LocalTrainerTests.RandomDataset(new Random(21), rows: 200, features: 4);
        for (var r = 0; r < data.Rows; r++)
        {
            data.Targets[r] = data.Features[r * 4] + (0.5f * data.Features[(r * 4) + 1]) > 0.2f ? 1 : 0;
        }

        var model = new LogisticRegression<float>(4);
        var parameters = new float[5];
        var options = Parse(hyperparameters).SiteOptions(planId, 2, 10, "site-a");
        var loss = new LocalTrainer(model, options).Train(parameters, data, new float[5]);
        return (parameters, loss);
    }

    [TestCase("\"optimizer\":\"adam\"")]
    [TestCase("\"learningRate\":0.2")]
    [TestCase("\"schedule\":\"constant\"")]
    [TestCase("\"finalLearningRateFraction\":0.9")]
    [TestCase("\"momentum\":0.9")]
    [TestCase("\"batchSize\":16")]
    [TestCase("\"localEpochs\":2,\"validationFraction\":0.2")]
    [TestCase("\"localSteps\":3,\"validationFraction\":0.2")]
    [TestCase("\"validationFraction\":0")]
    [TestCase("\"validationFraction\":0.3")]
    [TestCase("\"l2\":0.5")]
    public void SiteOptions_HyperparameterSet_ChangesTheTrainedModel(string member)
    {
        // Arrange: the variant replaces a member of the base or adds one.
        var variant = member.StartsWith("\"localEpochs\"", StringComparison.Ordinal) || member.StartsWith("\"localSteps\"", StringComparison.Ordinal) || member.StartsWith("\"validationFraction\"", StringComparison.Ordinal)
            ? member
            : $"{Base},{member}";

        // Act
        var baseline = TrainLikeASite(Base);
        var changed = TrainLikeASite(variant);

        // Assert
        Assert.That(changed.Parameters, Is.Not.EqualTo(baseline.Parameters));
    }

    [Test]
    public void SiteOptions_Patience_ChangesHowLongASiteTrains()
    {
        // Arrange: a rate so high that the validation loss rises from the second pass on.
        const string Noisy = "\"localEpochs\":30,\"validationFraction\":0.2,\"learningRate\":20,\"schedule\":\"constant\"";

        // Act
        var patient = TrainLikeASite($"{Noisy},\"patience\":20");
        var impatient = TrainLikeASite($"{Noisy},\"patience\":1");

        // Assert: the mean loss covers the steps taken, so stopping earlier changes it.
        Assert.That(impatient.Loss, Is.Not.EqualTo(patient.Loss));
    }

    [Test]
    public void SiteOptions_FreshSeeds_VaryBetweenRuns()
    {
        var first = TrainLikeASite($"{Base},\"seeds\":\"fresh\",\"batchSize\":8");
        var second = TrainLikeASite($"{Base},\"seeds\":\"fresh\",\"batchSize\":8");

        Assert.That(second.Parameters, Is.Not.EqualTo(first.Parameters));
    }

    [Test]
    public void SiteOptions_DerivedSeeds_RerunWithAnotherPlanIdVaries()
    {
        // Same plan id: the exact replay; another id (any edit of the plan): other shuffles and split.
        var first = TrainLikeASite($"{Base},\"batchSize\":8");
        var replay = TrainLikeASite($"{Base},\"batchSize\":8");
        var rerun = TrainLikeASite($"{Base},\"batchSize\":8", planId: "plan-b");

        Assert.That(replay.Parameters, Is.EqualTo(first.Parameters));
        Assert.That(rerun.Parameters, Is.Not.EqualTo(first.Parameters));
    }

    [Test]
    public void SiteOptions_ValidationSeed_FixedOverRoundsAndDifferentPerPlanAndSite()
    {
        var training = Parse(Base);

        var seed = training.SiteOptions("plan-a", 2, 10, "site-a").ValidationSeed;

        Assert.That(seed, Is.Not.Null);
        Assert.That(training.SiteOptions("plan-a", 9, 10, "site-a").ValidationSeed, Is.EqualTo(seed));
        Assert.That(training.SiteOptions("plan-b", 2, 10, "site-a").ValidationSeed, Is.Not.EqualTo(seed));
        Assert.That(training.SiteOptions("plan-a", 2, 10, "site-b").ValidationSeed, Is.Not.EqualTo(seed));
    }

    [Test]
    public void SiteOptions_CosineSchedule_FullRateInRoundOneFinalFractionInTheLastRound()
    {
        var training = Parse("\"learningRate\":0.2,\"finalLearningRateFraction\":0.25");

        var first = training.SiteOptions("p", 1, 5, "s").LearningRate;
        var middle = training.SiteOptions("p", 3, 5, "s").LearningRate;
        var last = training.SiteOptions("p", 5, 5, "s").LearningRate;

        // Half-way through, cos(pi/2) = 0: the mean of the first and last rates.
        Assert.That((first, middle, last), Is.EqualTo((0.2f, 0.125f, 0.05f)).Using<(float, float, float)>((a, b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-6 && Math.Abs(a.Item2 - b.Item2) < 1e-6 && Math.Abs(a.Item3 - b.Item3) < 1e-6));
        Assert.That(training.SiteOptions("p", 3, 5, "s").Schedule, Is.EqualTo(LearningRateSchedule.Constant));
    }

    [Test]
    public void SiteOptions_RoundNumberPastThePlan_TrainsAtTheFinalRate()
    {
        // An aborted round resumes under the next number, so round 12 of a 10-round plan exists.
        var training = Parse("\"learningRate\":0.2,\"finalLearningRateFraction\":0.25");

        Assert.That(training.SiteOptions("p", 12, 10, "s").LearningRate, Is.EqualTo(training.SiteOptions("p", 10, 10, "s").LearningRate));
        Assert.That(() => training.SiteOptions("p", 0, 10, "s"), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase("\"schedule\":\"constant\",\"finalLearningRateFraction\":0.5", "plan field 'hyperparameters.finalLearningRateFraction' does not apply to schedule \"constant\"; remove it")]
    [TestCase("\"validationFraction\":0,\"patience\":3", "plan field 'hyperparameters.patience' does not apply without a validation split (validationFraction 0); remove it")]
    [TestCase("\"validationFraction\":0.6", "plan field 'hyperparameters.validationFraction' must be a number from 0 to 0.5, got 0.6")]
    [TestCase("\"finalLearningRateFraction\":0", "plan field 'hyperparameters.finalLearningRateFraction' must be a number in (0, 1], got 0")]
    [TestCase("\"patience\":0", "plan field 'hyperparameters.patience' must be an integer from 1 to 1000, got 0")]
    [TestCase("\"schedule\":\"linear\"", "plan field 'hyperparameters.schedule' must be \"cosine\" or \"constant\", got \"linear\"")]
    public void Parse_BadTrainingMember_NamesIt(string hyperparameters, string expected)
    {
        Assert.That(() => Parse(hyperparameters), Throws.TypeOf<FormatException>().With.Message.EqualTo(expected));
    }
}
