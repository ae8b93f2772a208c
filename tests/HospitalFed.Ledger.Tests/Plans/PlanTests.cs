using System.Text;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Plans;

public sealed class PlanTests
{
    private const string PlanJson = """
        { "rounds": 5, "model": {"kind":"mlp","hiddenLayers":[8]}, "features": ["age"], "hyperparameters": {"learningRate": 0.1},
          "strategy": {"kind": "fedavg"}, "protection":"ckks", "minSites":3, "perRoundApproval": false }
        """;

    [Test]
    public void Parse_ReformattedPlan_HasSameIdAndFields()
    {
        var plan = TrainingPlan.Parse(Encoding.UTF8.GetBytes(PlanJson));
        var compact = TrainingPlan.Parse(plan.CanonicalBytes);

        Assert.That(compact.Id, Is.EqualTo(plan.Id));
        Assert.That(plan.Id, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(plan.Id, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(plan.CanonicalBytes))));
        Assert.That((plan.ModelKind, plan.Rounds, plan.Protection, plan.MinSites), Is.EqualTo(("mlp", 5L, Protection.Ckks, 3)));
        Assert.That((plan.Training.Local.LearningRate, plan.Training.Model.HiddenLayers.Single(), plan.Features.Single()), Is.EqualTo((0.1f, 8, "age")));
    }

    [Test]
    public void Parse_OneFieldChanged_ChangesId()
    {
        var plan = TrainingPlan.Parse(Encoding.UTF8.GetBytes(PlanJson));
        var other = TrainingPlan.Parse(Encoding.UTF8.GetBytes(PlanJson.Replace("\"rounds\": 5", "\"rounds\": 6", StringComparison.Ordinal)));

        Assert.That(other.Id, Is.Not.EqualTo(plan.Id));
    }

    [TestCase("\"minSites\":3", "\"minSites\":1", "minSites")]
    [TestCase("\"protection\":\"ckks\"", "\"protection\":\"clear\"", "protection")]
    [TestCase("\"strategy\": {\"kind\": \"fedavg\"},", "", "strategy")]
    public void Parse_InvalidField_NamesTheField(string from, string to, string field)
    {
        var json = PlanJson.Replace(from, to, StringComparison.Ordinal);

        var ex = Assert.Throws<PlanException>(() => TrainingPlan.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.That(ex!.Message, Does.Contain(field));
    }

    [Test]
    public void SitePolicy_PlanBreakingEveryRule_RefusedWithEveryReason()
    {
        var plan = ConsortiumSimulation.Plan(rounds: 100, minSites: 2, protection: "pairwise");
        var policy = SitePolicy.Parse("""{"allowedModelKinds":["mlp"],"minSites":3,"requiredProtection":"ckks","maxRounds":50}"""u8);

        var reasons = policy.Evaluate(plan);

        Assert.That(reasons, Has.Count.EqualTo(4));
    }

    [Test]
    public void SitePolicy_CompliantPlan_Accepted()
    {
        var plan = ConsortiumSimulation.Plan(rounds: 10, minSites: 3);
        var policy = SitePolicy.Parse("""{"allowedModelKinds":["logistic"],"minSites":3,"requiredProtection":"pairwise","maxRounds":50}"""u8);

        Assert.That(policy.Evaluate(plan), Is.Empty);
    }

    [Test]
    public void SitePolicy_UnprotectedPlanByDefault_IsRefusedNamingTheOption()
    {
        // Arrange
        var plan = ConsortiumSimulation.Plan(rounds: 10, minSites: 3, protection: "none");
        var policy = SitePolicy.Parse("{}"u8);

        // Act
        var reasons = policy.Evaluate(plan);

        // Assert
        Assert.That(plan.Protection, Is.EqualTo(Protection.None));
        Assert.That(reasons, Has.Count.EqualTo(1));
        Assert.That(reasons[0], Does.Contain("unprotected").And.Contain("allowUnprotected"));
    }

    [Test]
    public void SitePolicy_UnprotectedPlanExplicitlyAllowed_IsAccepted()
    {
        // Arrange
        var plan = ConsortiumSimulation.Plan(rounds: 10, minSites: 3, protection: "none");
        var policy = SitePolicy.Parse("""{"allowUnprotected":true}"""u8);

        // Act
        var reasons = policy.Evaluate(plan);

        // Assert
        Assert.That(policy.AllowUnprotected, Is.True);
        Assert.That(reasons, Is.Empty);
    }

    [Test]
    public void Parse_ProtectionNone_IsCanonicalAndDistinctFromPairwise()
    {
        // Arrange
        var unprotected = ConsortiumSimulation.Plan(rounds: 10, minSites: 3, protection: "none");
        var pairwise = ConsortiumSimulation.Plan(rounds: 10, minSites: 3, protection: "pairwise");

        // Act
        var reparsed = TrainingPlan.Parse(unprotected.CanonicalBytes);

        // Assert
        Assert.That(reparsed.Id, Is.EqualTo(unprotected.Id));
        Assert.That(reparsed.Protection, Is.EqualTo(Protection.None));
        Assert.That(unprotected.Id, Is.Not.EqualTo(pairwise.Id));
    }

    [Test]
    public void SitePolicy_UnknownMember_IsRefused()
    {
        var ex = Assert.Throws<PlanException>(() => SitePolicy.Parse("""{"maxRound":5}"""u8));

        Assert.That(ex!.Message, Does.Contain("maxRound"));
    }

    [Test]
    public void ConsortiumConfig_SignedByRoot_RoundTripsAndFlippedSignatureIsRefused()
    {
        using var simulation = ConsortiumSimulation.Create(sites: 2);
        var signed = simulation.Config.ToSignedJson();

        var parsed = ConsortiumConfig.FromSignedJson(signed, simulation.Root);
        var bytes = Convert.FromBase64String(signed["signature"]!.GetValue<string>());
        bytes[10] ^= 0x01;
        signed["signature"] = Convert.ToBase64String(bytes);

        Assert.That(parsed.ApprovalThreshold, Is.EqualTo(2));
        Assert.That(parsed.Admins, Is.EqualTo(new[] { "admin-1", "admin-2", "admin-3" }));
        Assert.Throws<PlanException>(() => ConsortiumConfig.FromSignedJson(signed, simulation.Root));
    }

    [Test]
    public void ConsortiumConfig_ThresholdAboveAdminCount_IsRefused()
    {
        using var simulation = ConsortiumSimulation.Create(sites: 2);
        using var ca = simulation.Authority.SigningIdentity();

        Assert.Throws<PlanException>(() => ConsortiumConfig.Create("c", ["a", "b"], 3, "aggregator", ca));
    }
}
