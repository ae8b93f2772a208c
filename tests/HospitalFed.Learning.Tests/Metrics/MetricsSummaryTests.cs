using HospitalFed.Learning.Metrics;

namespace HospitalFed.Learning.Tests.Metrics;

public sealed class MetricsSummaryTests
{
    [Test]
    public void Format_ReportOfBothClasses_NamesAucWithBoundAndTheCalibrationFigures()
    {
        // Arrange: 4 rows, both classes, two wrong-side predictions.
        var report = BinaryEvaluationSums.From([0.9f, 0.2f, 0.6f, 0.4f], [1f, 0f, 0f, 1f]).Report();

        // Act
        var text = MetricsSummary.Format(report);

        // Assert: AUC 0.75 (3 of 4 positive-negative pairs ordered, none sharing a bin), balanced accuracy 0.5, Brier (0.01+0.04+0.36+0.36)/4.
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("AUC 0.7500 +/- 0.0000, balanced accuracy 0.5000, Brier 0.1925, ECE "));
            Assert.That(text, Does.Contain(", log loss ").And.EndWith("(4 test rows)"));
            Assert.That(text, Does.Not.Contain("calibration"));
        });
    }

    [Test]
    public void Format_OneClassOnly_LeavesOutAucAndBalancedAccuracy()
    {
        var text = MetricsSummary.Format(BinaryEvaluationSums.From([0.3f, 0.8f], [1f, 1f]).Report());

        Assert.That(text, Does.StartWith("Brier ").And.Not.Contain("AUC").And.Not.Contain("balanced"));
    }

    [Test]
    public void Format_NoMetrics_IsEmpty()
    {
        Assert.That(MetricsSummary.Format(new Dictionary<string, double>()), Is.Empty);
    }
}
