using HospitalFed.Learning.Simulation;

namespace HospitalFed.Learning.Tests.Simulation;

public sealed class HeartDiseaseSimulationTests
{
    private static SimulationReport? _report;

    private static SimulationReport Report => _report ??= HeartDiseaseSimulation.Run(FedHeartDisease.Load(SampleData.HeartDiseaseDirectory), new SimulationSettings());

    [Test]
    public void Load_PublishedSplit_MatchesFlambyRowCounts()
    {
        // Arrange / Act
        var centres = FedHeartDisease.Load(SampleData.HeartDiseaseDirectory);

        // Assert: FLamby's 199/104, 172/89, 30/16, 85/45 (740 rows, 254 test rows).
        Assert.That(centres.Select(c => (c.Train.Rows, c.Test.Rows)), Is.EqualTo(new[] { (199, 104), (172, 89), (30, 16), (85, 45) }));
    }

    [Test]
    public void Run_DefaultSettings_MeetsFlambyBaselines()
    {
        // Arrange / Act
        var report = Report;
        foreach (var r in report.Results)
        {
            TestContext.Out.WriteLine($"{r.Method,-22} acc {r.PooledAccuracy:F4} auc {r.PooledAuc:F4} centres {string.Join(" ", r.CentreAccuracy.Select(a => a.ToString("F3")))} seeds {string.Join(" ", r.SeedAccuracies.Select(a => a.ToString("F3")))}");
        }

        // Assert: FLamby's published means (SOURCE.md) and the best federated run within 0.01 of pooled.
        var pooled = report["Pooled"].PooledAccuracy;
        var bestFederated = report.Results.Where(r => r.IsFederated).Max(r => r.PooledAccuracy);
        Assert.Multiple(() =>
        {
            Assert.That(pooled, Is.GreaterThanOrEqualTo(0.795));
            Assert.That(report["Local (cleveland)"].PooledAccuracy, Is.GreaterThanOrEqualTo(0.784));
            Assert.That(report["FedAvg"].PooledAccuracy, Is.GreaterThanOrEqualTo(0.748));
            Assert.That(report["FedProx"].PooledAccuracy, Is.GreaterThanOrEqualTo(0.748));
            Assert.That(report["FedAdagrad"].PooledAccuracy, Is.GreaterThanOrEqualTo(0.779));
            Assert.That(report["FedAdam"].PooledAccuracy, Is.GreaterThanOrEqualTo(0.779));
            Assert.That(report["FedYogi"].PooledAccuracy, Is.GreaterThanOrEqualTo(0.779));
            Assert.That(bestFederated, Is.GreaterThanOrEqualTo(pooled - 0.01));
        });
    }

    [Test]
    public void Run_EachMethod_ReportsEachCentresAucBesideItsAccuracy()
    {
        // Arrange / Act
        var report = Report;
        var centres = FedHeartDisease.Load(SampleData.HeartDiseaseDirectory);

        // Assert: one AUC per centre; a model trained on everything ranks each centre's patients
        // better than chance, and switzerland alone (30 training rows, 16 test rows) is the weakest.
        Assert.Multiple(() =>
        {
            Assert.That(report.Results.Select(r => r.CentreAuc.Count), Has.All.EqualTo(centres.Count));
            Assert.That(report["Pooled"].CentreAuc, Has.All.InRange(0.6, 1.0));
            Assert.That(report["Local (switzerland)"].PooledAuc, Is.LessThan(report["Pooled"].PooledAuc));
        });
    }
}
