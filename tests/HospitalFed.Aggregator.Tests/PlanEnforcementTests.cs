using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Jobs;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Learning.Data;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Aggregator.Tests;

/// <summary>What the admins sign is what runs: the plan's hyperparameters, server strategy and features are enforced, never descriptive.</summary>
[TestFixture]
public sealed class PlanEnforcementTests
{
    private static Action<JsonObject> LearningRate(double rate) => d => d["hyperparameters"]!["learningRate"] = rate;

    [Test]
    public void Federation_PlansDifferingOnlyInLearningRate_TrainDifferentModelsAndLogWhichPlanRan()
    {
        // Arrange
        using var slow = new InProcessFederation(rounds: 4, planEdit: LearningRate(0.01));
        using var fast = new InProcessFederation(rounds: 4, planEdit: LearningRate(0.5));
        slow.Orchestrator.Start();
        fast.Orchestrator.Start();

        // Act
        slow.ConnectAll();
        fast.ConnectAll();

        // Assert
        Assert.That(slow.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), slow.Orchestrator.FailureReason);
        Assert.That(fast.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), fast.Orchestrator.FailureReason);
        var slowDelta = slow.Job.GlobalModel.Sum(w => Math.Abs(w));
        var fastDelta = fast.Job.GlobalModel.Sum(w => Math.Abs(w));
        Assert.That(fastDelta, Is.GreaterThan(2 * slowDelta), "a 50x learning rate moves the model from zero much further in two training rounds");
        foreach (var federation in new[] { slow, fast })
        {
            var proposed = federation.Log.Entry(1);
            Assert.That(proposed.Kind, Is.EqualTo(LogEntryKind.PlanProposed));
            Assert.That(TrainingPlan.FromNode(proposed.Body["plan"]!).Id, Is.EqualTo(federation.Plan.Id));
        }

        Assert.That(slow.Plan.Id, Is.Not.EqualTo(fast.Plan.Id));
        Assert.That(TrainingPlan.FromNode(fast.Log.Entry(1).Body["plan"]!).Training.Local.LearningRate, Is.EqualTo(0.5f));
    }

    [Test]
    public void SupervisedJob_PlanServerLearningRate_ScalesTheServerStep()
    {
        // Arrange: the same decoded sums applied by the jobs of two plans differing only in server learning rate.
        var schema = ExtractSchema.Load(Path.Combine(SampleData.HeartDiseaseDirectory, "heart-disease.schema.json"));
        IFederatedJob JobWith(double rate)
        {
            var document = (JsonObject)ConsortiumSimulation.Plan(rounds: 3).Document.DeepClone();
            document["strategy"]!["serverLearningRate"] = rate;
            return FederatedJobs.Create(TrainingPlan.FromNode(document), schema);
        }

        var full = JobWith(1.0);
        var quarter = JobWith(0.25);
        var statistics = new double[full.Describe(1).Segments.Sum(s => s.Length)];
        var training = new double[full.Describe(2).Segments.Sum(s => s.Length)];
        var parameters = full.GlobalModel.Length;
        for (var i = 0; i < parameters; i++)
        {
            training[i] = 100.0 * (i + 1); // weighted delta
        }

        training[parameters] = 100; // sample count: average delta i + 1

        // Act
        foreach (var job in new[] { full, quarter })
        {
            job.Apply(1, statistics);
            job.Apply(2, training);
        }

        // Assert
        Assert.That(full.GlobalModel, Is.EqualTo(Enumerable.Range(1, parameters).Select(i => (float)i)));
        Assert.That(quarter.GlobalModel, Is.EqualTo(Enumerable.Range(1, parameters).Select(i => i * 0.25f)));
    }

    [Test]
    public void FederatedJobs_PlanFeaturesDifferFromSchema_RefusedNamingTheColumns()
    {
        // Arrange: the six-column plan of issue 12.
        var schema = ExtractSchema.Load(Path.Combine(SampleData.HeartDiseaseDirectory, "heart-disease.schema.json"));
        var document = (JsonObject)ConsortiumSimulation.Plan(rounds: 3).Document.DeepClone();
        document["features"] = new JsonArray("age", "sex", "cp", "trestbps", "chol", "thalach");

        // Act
        var refusal = Assert.Throws<FormatException>(() => FederatedJobs.Create(TrainingPlan.FromNode(document), schema));

        // Assert
        Assert.That(refusal!.Message, Does.Contain("in the schema but not in the plan: fbs, restecg, exang, oldpeak"));
    }

    [Test]
    public void Plan_SiteSchemaNamesAColumnDifferently_EverySiteDeclinesWithASignedReasonNamingIt()
    {
        // Arrange: the sites' schema calls "chol" "cholesterol"; the plan (and the aggregator) say "chol".
        var schema = ExtractSchema.Load(Path.Combine(SampleData.HeartDiseaseDirectory, "heart-disease.schema.json"));
        var renamed = schema with { Columns = [.. schema.Columns.Select(c => c.Name == "chol" ? c with { Name = "cholesterol" } : c)] };
        using var federation = new InProcessFederation(rounds: 3, sitesDecideOnline: true, siteSchema: renamed);
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();
        federation.ExpireDeadline();

        // Assert
        Assert.That(federation.Orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Failed));
        var decisions = Enumerable.Range(0, (int)federation.Log.Size).Select(i => federation.Log.Entry(i)).Where(e => e.Kind == LogEntryKind.SiteDecision).ToList();
        Assert.That(decisions.Select(d => d.Author), Is.EquivalentTo(federation.Agents.Keys));
        foreach (var decision in decisions)
        {
            Assert.That(decision.Body["accept"]!.GetValue<bool>(), Is.False);
            var reasons = string.Join("; ", decision.Body["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
            Assert.That(reasons, Does.Contain("not in the schema: chol").And.Contain("in the schema but not in the plan: cholesterol"));
        }
    }
}
