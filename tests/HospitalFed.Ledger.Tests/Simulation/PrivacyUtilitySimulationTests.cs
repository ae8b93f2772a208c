using HospitalFed.Crypto.Ckks;
using HospitalFed.Learning.Configuration;
using HospitalFed.Learning.Features;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Ledger.Tests.Simulation;

/// <summary>The utility simulation of <c>hfed simulate dp</c> on the bundled heart-disease sample, kept short (3 rounds).</summary>
public sealed class PrivacyUtilitySimulationTests
{
    private static readonly IReadOnlyList<CentreData> Centres = FedHeartDisease.Load(SampleData.HeartDiseaseDirectory);

    [Test]
    public void Run_EpsilonInfinity_PlainRowIsExactlyTheFedAvgOfHfedSimulate()
    {
        // Arrange
        var simulation = new SimulationSettings { Rounds = 3, Seeds = [0, 1] };
        var settings = new PrivacyUtilitySettings { Epsilons = [double.PositiveInfinity], Simulation = simulation };

        // Act
        var rows = PrivacyUtilitySimulation.Run(Centres, settings);
        var reference = FederatedSimulation.Run(Centres, simulation with { Strategies = [new StrategySpec { Kind = StrategyKind.FedAvg }] })["FedAvg"];

        // Assert
        var plain = rows.Single(r => r.Kind == PrivacyUtilityRow.PlainFedAvg);
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.Kind), Is.EqualTo(new[] { PrivacyUtilityRow.PlainFedAvg, PrivacyUtilityRow.WithoutNoise }));
            Assert.That(plain.Result.SeedAccuracies, Is.EqualTo(reference.SeedAccuracies));
            Assert.That(plain.Result.SeedAucs, Is.EqualTo(reference.SeedAucs));
            Assert.That(plain.Result.CentreAccuracy, Is.EqualTo(reference.CentreAccuracy));
            Assert.That(plain.SpentEpsilon, Is.Null);
        });
    }

    [Test]
    public void Run_EpsilonThree_SpendsTheCalibratedBudgetAndDiffersFromTheNoiselessRun()
    {
        // Arrange
        var settings = new PrivacyUtilitySettings { Epsilons = [3, double.PositiveInfinity], Simulation = new SimulationSettings { Rounds = 3, Seeds = [0] } };
        using var noise = SeededRandomSource.FromLabel("utility simulation test");

        // Act
        var rows = PrivacyUtilitySimulation.Run(Centres, settings, noise);

        // Assert: every site contributes to every round (k = m), so the calibrated plan spends
        // all but the calibration margin; the noise changes the model.
        var pipeline = new FeaturePipeline(Centres[0].Train.Schema);
        var plan = PrivacyUtilitySimulation.Plan(pipeline, Centres.Count, settings, 3);
        var dp = rows[0];
        var noiseless = rows.Single(r => r.Kind == PrivacyUtilityRow.WithoutNoise);
        Assert.Multiple(() =>
        {
            Assert.That(dp.Kind, Is.EqualTo(PrivacyUtilityRow.Private));
            Assert.That(plan.Rounds, Is.EqualTo(4));
            Assert.That(plan.Privacy!.MinContributors, Is.EqualTo(4));
            Assert.That(dp.NoiseMultiplier, Is.EqualTo(plan.Privacy.NoiseMultiplier));
            Assert.That(dp.SpentEpsilon, Is.LessThanOrEqualTo(3.0).And.GreaterThan(2.999));
            Assert.That(dp.Result.SeedAucs, Is.Not.EqualTo(noiseless.Result.SeedAucs));
            Assert.That(dp.Result.PooledAuc, Is.InRange(0.0, 1.0));
        });
    }

    [Test]
    public void Validate_EpsilonOutOfRange_NamesIt()
    {
        var settings = new PrivacyUtilitySettings { Epsilons = [3, 0] };

        var ex = Assert.Throws<ArgumentException>(settings.Validate)!;

        Assert.That(ex.Message, Does.Contain("epsilon 0 is not in (0, 100] or infinity"));
    }
}
