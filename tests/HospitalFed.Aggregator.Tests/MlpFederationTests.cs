using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Jobs;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Crypto.Quantization;
using HospitalFed.Learning.Metrics;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Protocol.V1;
using HospitalFed.Site.Rounds;

namespace HospitalFed.Aggregator.Tests;

[TestFixture]
public sealed class MlpFederationTests
{
    private static JsonObject Mlp(params int[] hidden) => new() { ["kind"] = "mlp", ["hiddenLayers"] = new JsonArray([.. hidden.Select(w => JsonValue.Create(w))]) };

    [Test]
    public void Plan_MlpPairwiseMasked_ModelMovesByPlaintextSumOfWeightedDeltasWithinQuantisationError()
    {
        // Arrange: statistics, then two training rounds of a 13 -> 16 -> 8 -> 1 MLP.
        using var federation = new InProcessFederation(rounds: 3, model: Mlp(16, 8));
        federation.Orchestrator.Start();

        // Act
        federation.ConnectAll();

        // Assert: the last round's masked sum moved the model exactly as the plaintext FedAvg of
        // the sites' own vectors would, recomputed here from the same invitation.
        var orchestrator = federation.Orchestrator;
        Assert.That(orchestrator.Phase, Is.EqualTo(OrchestratorPhase.Completed), orchestrator.FailureReason);
        var parameters = (13 * 16) + 16 + (16 * 8) + 8 + 8 + 1;
        Assert.That(federation.Job.GlobalModel, Has.Length.EqualTo(parameters));
        var invitation = federation.Invitations.Single(i => i.Round == 3);
        var start = MemoryMarshal.Cast<byte, float>(invitation.GlobalModel.Span).ToArray();
        var sum = new double[parameters + 1 + BinaryEvaluationSums.Length];
        foreach (var (centre, site) in federation.Centres.Zip(federation.Consortium.Sites))
        {
            // The same site name as the agent's: a derived shuffling seed covers it.
            var update = new LocalContribution(federation.Schema, centre.Train, centre.Test, site.Name).Compute(invitation);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += update[i];
            }
        }

        var rows = sum[parameters];
        Assert.That(rows, Is.EqualTo(federation.Centres.Sum(c => c.Train.Rows)));
        var spec = federation.Job.Describe(3);
        var quantization = new QuantizationPlan(spec.Segments, invitation.MaxSites);
        // Stochastic rounding errs by under one quantum per site and coordinate; the division by
        // the pooled count and the float32 model add a little more.
        var tolerance = (4.0 / quantization.Scale(0) / rows) + 1e-6;
        var moved = 0;
        for (var i = 0; i < parameters; i++)
        {
            var expected = start[i] + (sum[i] / rows);
            Assert.That(federation.Job.GlobalModel[i], Is.EqualTo(expected).Within(tolerance), $"parameter {i}");
            moved += Math.Abs(sum[i] / rows) > 10 * tolerance ? 1 : 0;
        }

        Assert.That(moved, Is.GreaterThan(parameters / 4), "training moved too few parameters for the comparison to mean anything");
        Assert.That(federation.Agents.Values.All(a => a.PlanCompleted && a.Model!.Length == parameters), Is.True);
    }

    [TestCase("""{"kind":"mlp"}""", "'model.hiddenLayers'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":[]}""", "'model.hiddenLayers'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":[8,0]}""", "'model.hiddenLayers[1]'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":[8.5]}""", "'model.hiddenLayers[0]'")]
    [TestCase("""{"kind":"mlp","hiddenLayers":[65536,65536]}""", "'model.hiddenLayers'")]
    [TestCase("""{"kind":"cox"}""", "'model.kind'")]
    public void Create_InvalidModel_RefusedNamingTheField(string model, string field)
    {
        // Arrange
        var schema = Learning.Data.ExtractSchema.Load(Path.Combine(SampleData.HeartDiseaseDirectory, FedHeartDisease.SchemaFile));

        // Act: a malformed model is refused when the plan is parsed; a too-large one only when
        // the schema's feature count is known, by the job.
        Exception? refusal = null;
        try
        {
            FederatedJobs.Create(PlanWith(model), schema);
        }
        catch (Exception ex) when (ex is FormatException or Ledger.Plans.PlanException)
        {
            refusal = ex;
        }

        // Assert
        Assert.That(refusal?.Message, Does.Contain(field));
    }

    [Test]
    public void SiteAgent_OfferedPlanWithInvalidModel_DeclinesNamingTheField()
    {
        // Arrange
        using var federation = new InProcessFederation(rounds: 3);
        var document = (JsonObject)ConsortiumSimulation.Plan(rounds: 3).Document.DeepClone();
        document["model"] = JsonNode.Parse("""{"kind":"mlp","hiddenLayers":[8,-1]}""");
        var bytes = Ledger.Canonical.CanonicalJson.Encode(document); // TrainingPlan itself refuses to build it
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var agent = federation.Agents.Values.First();

        // Act
        var reply = agent.Handle(new SiteTask { PlanOffer = new PlanOffer { PlanId = id, Plan = Google.Protobuf.ByteString.CopyFrom(bytes) } });

        // Assert
        var decision = LogLine.Decode(reply.Messages.Single().SiteDecision.Memory, out _);
        Assert.That(decision.Body["accept"]!.GetValue<bool>(), Is.False);
        Assert.That(decision.Body["reasons"]!.AsArray().Select(r => r!.GetValue<string>()), Has.Some.Contains("'model.hiddenLayers[1]'"));
    }

    [Test]
    public void Create_MlpPlan_InitialModelIsTheSameForTheSamePlanAndNotZero()
    {
        // Arrange
        var plan = PlanWith("""{"kind":"mlp","hiddenLayers":[4]}""");
        var schema = Learning.Data.ExtractSchema.Load(Path.Combine(SampleData.HeartDiseaseDirectory, FedHeartDisease.SchemaFile));

        // Act
        var first = FederatedJobs.Create(plan, schema);
        var second = FederatedJobs.Create(plan, schema);

        // Assert: He initialisation seeded from the plan id, so an auditor can rebuild it.
        Assert.That(second.Digest(), Is.EqualTo(first.Digest()));
        Assert.That(first.GlobalModel.Count(w => w != 0), Is.GreaterThan(13 * 4 / 2));
    }

    [Test]
    public void FederationLimits_LargestModel_FitsTheTaskMessagesBothSidesAccept()
    {
        // Arrange / Act
        var largest = HospitalFed.Learning.Federation.FederatedModel.MaxParameters;

        // Assert: the aggregator sends and every site accepts a task carrying the largest model.
        Assert.That(largest, Is.EqualTo(Transport.Federation.FederationLimits.MaxModelParameters));
        Assert.That(Transport.Federation.FederationLimits.TaskMessageBytes((int)largest), Is.LessThanOrEqualTo(Transport.Federation.FederationLimits.MaxTaskMessageBytes));
    }

    private static Ledger.Plans.TrainingPlan PlanWith(string model)
    {
        var document = (JsonObject)ConsortiumSimulation.Plan(rounds: 3).Document.DeepClone();
        document["model"] = JsonNode.Parse(model);
        return Ledger.Plans.TrainingPlan.FromNode(document);
    }
}
