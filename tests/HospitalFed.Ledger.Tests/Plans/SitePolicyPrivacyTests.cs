using System.Text.Json.Nodes;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Plans;

/// <summary>A site policy's privacy caps: <c>epsilonCap</c> and <c>maxDelta</c>.</summary>
public sealed class SitePolicyPrivacyTests
{
    [Test]
    public void Evaluate_PlanEpsilonWithinCap_Accepted()
    {
        var policy = SitePolicy.Parse("""{"epsilonCap":3,"maxDelta":1e-5}"""u8);

        Assert.That(policy.Evaluate(DpPlan(epsilon: 3, delta: 1e-5)), Is.Empty);
        Assert.That(policy.EpsilonCap, Is.EqualTo(3));
        Assert.That(policy.MaxDelta, Is.EqualTo(1e-5));
    }

    [Test]
    public void Evaluate_PlanEpsilonAboveCap_RefusedNamingBothFigures()
    {
        var policy = SitePolicy.Parse("""{"epsilonCap":2.5}"""u8);

        var reasons = policy.Evaluate(DpPlan(epsilon: 8, delta: 1e-5));

        Assert.That(reasons, Is.EqualTo(new[] { "the plan's privacy budget is epsilon 8; this site's epsilonCap is 2.5" }));
    }

    [Test]
    public void Evaluate_PlanDeltaAboveMaxDelta_RefusedNamingBothFigures()
    {
        var policy = SitePolicy.Parse("""{"maxDelta":1e-6}"""u8);

        var reasons = policy.Evaluate(DpPlan(epsilon: 1, delta: 1e-5));

        Assert.That(reasons, Is.EqualTo(new[] { "the plan's privacy delta is 1e-5; this site's maxDelta is 1e-6" }));
    }

    [Test]
    public void Evaluate_PlanWithoutPrivacyUnderCap_RefusedSayingPrivacyIsRequired()
    {
        var policy = SitePolicy.Parse("""{"epsilonCap":3}"""u8);

        var reasons = policy.Evaluate(ConsortiumSimulation.Plan(rounds: 4));

        Assert.That(reasons, Has.Count.EqualTo(1));
        Assert.That(reasons[0], Does.Contain("no differential privacy").And.Contain("epsilon at most 3"));
    }

    [Test]
    public void Evaluate_NoCaps_AcceptsPlansWithAndWithoutPrivacy()
    {
        var policy = SitePolicy.Parse("{}"u8);

        Assert.That(policy.Evaluate(DpPlan(epsilon: 50, delta: 1e-3)), Is.Empty);
        Assert.That(policy.Evaluate(ConsortiumSimulation.Plan(rounds: 4)), Is.Empty);
    }

    [TestCase("""{"epsilonCap":0}""", "'epsilonCap' must be a positive number")]
    [TestCase("""{"epsilonCap":-1}""", "'epsilonCap' must be a positive number")]
    [TestCase("""{"maxDelta":0}""", "'maxDelta' must be a positive number")]
    [TestCase("""{"epsilonCap":null}""", "'epsilonCap' must be a positive number")]
    [TestCase("""{"epsilonCap":"3"}""", "epsilonCap/maxDelta: numbers")]
    public void Parse_BadCap_RefusedNamingTheMember(string json, string message)
    {
        var ex = Assert.Throws<PlanException>(() => SitePolicy.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.That(ex!.Message, Does.Contain(message));
    }

    private static TrainingPlan DpPlan(double epsilon, double delta) =>
        ConsortiumSimulation.Plan(rounds: 4, privacy: new JsonObject { ["clipNorm"] = 1.0, ["delta"] = delta, ["epsilon"] = epsilon });
}
