using System.Text.Json.Nodes;
using HospitalFed.Learning.Configuration;
using HospitalFed.Learning.Federation;
using HospitalFed.Learning.Optimization;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Plans;

/// <summary>Every plan member is typed: a bad value, an unknown key or a member that does not apply is refused naming its JSON path.</summary>
public sealed class PlanParsingTests
{
    private static JsonObject Valid() => (JsonObject)ConsortiumSimulation.Plan(rounds: 5).Document.DeepClone();

    private static PlanException Refused(Action<JsonObject> change)
    {
        var document = Valid();
        change(document);
        return Assert.Throws<PlanException>(() => TrainingPlan.FromNode(document))!;
    }

    [Test]
    public void Parse_SamplePlan_ReadsEveryTrainingField()
    {
        // Arrange
        var document = Valid();
        document["strategy"] = new JsonObject { ["kind"] = "fedadam", ["serverLearningRate"] = 0.02, ["beta1"] = 0.8, ["beta2"] = 0.95, ["tau"] = 0.01 };
        document["hyperparameters"]!["seeds"] = "fresh";

        // Act
        var plan = TrainingPlan.FromNode(document);

        // Assert
        var t = plan.Training;
        Assert.That((t.Local.Optimizer, t.Local.LearningRate, t.Local.BatchSize, t.Local.LocalSteps, t.Local.L2), Is.EqualTo((OptimizerKind.Sgd, 0.05f, 16, (int?)10, 0.001f)));
        Assert.That((t.Strategy.Kind, t.Strategy.ServerLearningRate, t.Strategy.Beta1, t.Strategy.Beta2, t.Strategy.Tau), Is.EqualTo((StrategyKind.FedAdam, 0.02f, 0.8f, 0.95f, 0.01f)));
        Assert.That(t.Seeds, Is.EqualTo(SeedPolicy.Fresh));
        Assert.That(plan.Features, Is.EqualTo(ConsortiumSimulation.HeartDiseaseFeatures));
    }

    [Test]
    public void Parse_OptionalFieldsAbsent_TakesTheDocumentedDefaults()
    {
        // Arrange
        var document = Valid();
        document["hyperparameters"] = new JsonObject();
        document["strategy"] = new JsonObject { ["kind"] = "fedprox" };

        // Act
        var t = TrainingPlan.FromNode(document).Training;

        // Assert
        Assert.That((t.Local.Optimizer, t.Local.LearningRate, t.Local.BatchSize, t.Local.Epochs, t.Local.LocalSteps, t.Local.L2, t.Local.Momentum), Is.EqualTo((OptimizerKind.Sgd, 0.05f, 64, 1, (int?)null, 0f, 0f)));
        Assert.That((t.Local.Schedule, t.Local.FinalLearningRateFraction, t.Local.ValidationFraction, t.Local.Patience), Is.EqualTo((LearningRateSchedule.Cosine, 0.1f, 0.1f, 2)));
        Assert.That((t.Strategy.ServerLearningRate, t.Strategy.ProximalMu, t.Local.ProximalMu, t.Seeds), Is.EqualTo((1f, 0.1f, 0.1f, SeedPolicy.Derived)));
    }

    [TestCase("hyperparameters", "learningRate", "\"fast\"", "plan field 'hyperparameters.learningRate' must be a positive number, got \"fast\"")]
    [TestCase("hyperparameters", "learningRate", "0", "plan field 'hyperparameters.learningRate' must be a positive number, got 0")]
    [TestCase("hyperparameters", "batchSize", "0", "plan field 'hyperparameters.batchSize' must be an integer from 1 to 65536, got 0")]
    [TestCase("hyperparameters", "batchSize", "16.5", "plan field 'hyperparameters.batchSize' must be an integer from 1 to 65536, got 16.5")]
    [TestCase("hyperparameters", "localSteps", "\"ten\"", "plan field 'hyperparameters.localSteps' must be an integer from 1 to 100000, got \"ten\"")]
    [TestCase("hyperparameters", "l2", "-1", "plan field 'hyperparameters.l2' must be a non-negative number, got -1")]
    [TestCase("hyperparameters", "momentum", "1", "plan field 'hyperparameters.momentum' must be a number in [0, 1), got 1")]
    [TestCase("hyperparameters", "optimizer", "\"rmsprop\"", "plan field 'hyperparameters.optimizer' must be \"sgd\" or \"adam\", got \"rmsprop\"")]
    [TestCase("hyperparameters", "seeds", "42", "plan field 'hyperparameters.seeds' must be \"derived\" or \"fresh\", got 42")]
    [TestCase("hyperparameters", "optimizer", "null", "plan field 'hyperparameters.optimizer' must not be null")]
    [TestCase("hyperparameters", "dropout", "0.5", "plan field 'hyperparameters.dropout' is not a known field")]
    [TestCase("strategy", "kind", "\"fedsgd\"", "plan field 'strategy.kind' must be \"fedavg\" or \"fedprox\" or \"fedadam\" or \"fedyogi\" or \"fedadagrad\", got \"fedsgd\"")]
    [TestCase("strategy", "serverLearningRate", "-0.5", "plan field 'strategy.serverLearningRate' must be a positive number, got -0.5")]
    [TestCase("strategy", "beta2", "0.9", "plan field 'strategy.beta2' does not apply to strategy \"fedavg\"; remove it")]
    [TestCase("strategy", "extra", "1", "plan field 'strategy.extra' is not a known field")]
    [TestCase("model", "kind", "\"forest\"", "plan field 'model.kind' must be \"logistic\" or \"mlp\", got \"forest\"")]
    [TestCase("model", "layers", "[6, 1]", "plan field 'model.layers' is not a known field")]
    public void Parse_BadNestedValue_NamesItsPath(string section, string field, string json, string message)
    {
        var ex = Refused(d => d[section]![field] = JsonNode.Parse(json));

        Assert.That(ex.Message, Does.StartWith(message));
    }

    [TestCase("rounds", "\"twenty\"", "plan field 'rounds' must be an integer from 2 to 100000, got \"twenty\"")]
    [TestCase("rounds", "1", "plan field 'rounds' must be an integer from 2 to 100000, got 1")]
    [TestCase("minSites", "1", "plan field 'minSites' must be an integer from 2 to 100000, got 1")]
    [TestCase("protection", "\"clear\"", "plan field 'protection' must be \"pairwise\" or \"ckks\" or \"none\", got \"clear\"")]
    [TestCase("perRoundApproval", "\"no\"", "plan field 'perRoundApproval' must be true or false, got \"no\"")]
    [TestCase("features", "[]", "plan field 'features' must be a non-empty array of column names, got []")]
    [TestCase("features", "[\"age\", 3]", "plan field 'features[1]' must be a non-empty column name, got 3")]
    [TestCase("features", "[\"age\", \"age\"]", "plan field 'features[1]' repeats column 'age'")]
    [TestCase("hyperparameters", "[]", "plan field 'hyperparameters' must be an object, got []")]
    [TestCase("model", "\"logistic\"", "plan field 'model' must be an object, got \"logistic\"")]
    [TestCase("seed", "1", "plan field 'seed' is not a known field")]
    public void Parse_BadTopLevelValue_NamesTheField(string field, string json, string message)
    {
        var ex = Refused(d => d[field] = JsonNode.Parse(json));

        Assert.That(ex.Message, Does.StartWith(message));
    }

    [TestCase("rounds")]
    [TestCase("strategy")]
    [TestCase("hyperparameters")]
    [TestCase("perRoundApproval")]
    public void Parse_RequiredFieldMissing_NamesIt(string field)
    {
        var ex = Refused(d => d.Remove(field));

        Assert.That(ex.Message, Is.EqualTo($"plan field '{field}' is missing"));
    }

    [Test]
    public void Parse_MomentumWithAdam_IsRefusedAsNotApplicable()
    {
        var ex = Refused(d =>
        {
            d["hyperparameters"]!["optimizer"] = "adam";
            d["hyperparameters"]!["momentum"] = 0.9;
        });

        Assert.That(ex.Message, Is.EqualTo("plan field 'hyperparameters.momentum' does not apply to optimizer \"adam\"; remove it"));
    }

    [Test]
    public void Parse_LocalStepsAndEpochsBoth_IsRefused()
    {
        var ex = Refused(d => d["hyperparameters"]!["localEpochs"] = 2);

        Assert.That(ex.Message, Does.Contain("'hyperparameters.localEpochs'").And.Contain("'hyperparameters.localSteps'"));
    }

    [Test]
    public void Parse_DeadlinesMember_IsRefusedNamingTheAggregatorTimeouts()
    {
        var ex = Refused(d => d["deadlines"] = new JsonObject { ["roundSeconds"] = 600 });

        Assert.That(ex.Message, Does.Contain("'deadlines'").And.Contain("phaseTimeoutSeconds"));
    }
}
