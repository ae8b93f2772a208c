using System.Text.Json.Nodes;
using HospitalFed.Learning.Privacy;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Plans;

/// <summary>The plan's privacy section: validated at parse, calibrated to the budget, and one mechanism per round that every party derives alike.</summary>
public sealed class PlanPrivacyTests
{
    private static TrainingPlan Plan(JsonObject privacy, long rounds = 11, string protection = "pairwise")
    {
        var document = (JsonObject)ConsortiumSimulation.Plan(rounds: rounds).Document.DeepClone();
        document["privacy"] = privacy;
        document["protection"] = protection;
        return TrainingPlan.FromNode(document);
    }

    private static JsonObject Section(double epsilon = 3, double delta = 1e-5, double clipNorm = 1) =>
        new() { ["epsilon"] = epsilon, ["delta"] = delta, ["clipNorm"] = clipNorm };

    [Test]
    public void Parse_NoNoiseMultiplier_CalibratesTrainingRoundsToExactlyFitTheBudget()
    {
        var privacy = Plan(Section(), rounds: 11).Privacy!;

        // Ten training rounds at 1 / (2 z^2) each: within the budget, and a hair more rho would not be.
        var spent = privacy.TrainingRounds * privacy.NominalRoundRho;
        Assert.That(privacy.TrainingRounds, Is.EqualTo(10));
        Assert.That(privacy.IsCalibrated, Is.True);
        Assert.That(ZcdpConversion.Epsilon(spent, 1e-5), Is.LessThanOrEqualTo(3.0));
        Assert.That(ZcdpConversion.Epsilon(spent * 1.001, 1e-5), Is.GreaterThan(3.0));
    }

    [Test]
    public void Parse_NoiseMultiplierTooSmallForTheRounds_IsRefusedNamingTheField()
    {
        var section = Section();
        section["noiseMultiplier"] = 0.5;

        var ex = Assert.Throws<PlanException>(() => Plan(section, rounds: 51))!;

        Assert.That(ex.Message, Does.Contain("'privacy.noiseMultiplier'").And.Contain("50 training rounds"));
    }

    [Test]
    public void Parse_WithoutSecureAggregation_IsRefused()
    {
        var ex = Assert.Throws<PlanException>(() => Plan(Section(), protection: "none"))!;

        Assert.That(ex.Message, Does.Contain("'privacy'").And.Contain("secure aggregation"));
    }

    [TestCase("epsilon", 0.0)]
    [TestCase("epsilon", 101.0)]
    [TestCase("delta", 0.01)]
    [TestCase("clipNorm", -1.0)]
    public void Parse_OutOfRange_IsRefusedNamingThePath(string field, double value)
    {
        var section = Section();
        section[field] = value;

        var ex = Assert.Throws<PlanException>(() => Plan(section))!;

        Assert.That(ex.Message, Does.Contain($"'privacy.{field}'"));
    }

    [Test]
    public void Parse_UnknownMember_IsRefused()
    {
        var section = Section();
        section["sensitivity"] = 2;

        var ex = Assert.Throws<PlanException>(() => Plan(section))!;

        Assert.That(ex.Message, Does.Contain("'privacy.sensitivity'"));
    }

    [Test]
    public void Round_Mechanism_CannotWrapAndCostsTheNominalRho()
    {
        var privacy = Plan(Section()).Privacy!;

        var round = privacy.Round(dimension: 14, participants: 4);
        var mechanism = new HospitalFed.Crypto.Privacy.DistributedDiscreteGaussian(round.MechanismParameters(PlanPrivacy.RotationSeed("ab", 2)));

        Assert.That(round.PaddedDimension, Is.EqualTo(16));
        Assert.That(mechanism.FitsWithoutOverflow(4), Is.True);
        Assert.That(Math.Log2(round.Scale), Is.EqualTo(Math.Round(Math.Log2(round.Scale))), "gamma is a power of two");
        Assert.That(round.RoundRho(privacy.MinContributors), Is.EqualTo(privacy.NominalRoundRho).Within(1e-9).Percent);
        Assert.Throws<ArgumentOutOfRangeException>(() => round.RoundRho(privacy.MinContributors - 1));
    }

    [Test]
    public void RotationSeed_DependsOnPlanAndRound()
    {
        var seed = PlanPrivacy.RotationSeed("ab", 2);

        Assert.That(PlanPrivacy.RotationSeed("ab", 2), Is.EqualTo(seed));
        Assert.That(PlanPrivacy.RotationSeed("ab", 3), Is.Not.EqualTo(seed));
        Assert.That(PlanPrivacy.RotationSeed("ac", 2), Is.Not.EqualTo(seed));
    }
}
