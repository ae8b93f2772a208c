using HospitalFed.Learning.Metrics;

namespace HospitalFed.Learning.Tests.Metrics;

public sealed class MetricsTests
{
    [Test]
    public void AucRoc_KnownScores_IsTheMannWhitneyStatistic()
    {
        // Arrange: of the 4 positive/negative pairs, 3 are ordered correctly.
        float[] scores = [0.1f, 0.4f, 0.35f, 0.8f];
        float[] labels = [0, 0, 1, 1];

        // Act / Assert
        Assert.That(BinaryMetrics.AucRoc(scores, labels), Is.EqualTo(0.75).Within(1e-12));
    }

    [Test]
    public void AucRoc_TiedScores_CountOneHalf()
    {
        // Act / Assert
        Assert.That(BinaryMetrics.AucRoc([0.5f, 0.5f], [0, 1]), Is.EqualTo(0.5));
    }

    [Test]
    public void AucRoc_OneClass_IsNaN()
    {
        // Act / Assert
        Assert.That(BinaryMetrics.AucRoc([0.1f, 0.2f], [1, 1]), Is.NaN);
    }

    [Test]
    public void BinaryMetrics_KnownPredictions_MatchHandComputedValues()
    {
        // Arrange: TP=1 (0.9), FN=1 (0.2), TN=1 (0.3), FP=1 (0.6).
        float[] p = [0.9f, 0.2f, 0.3f, 0.6f];
        float[] y = [1, 1, 0, 0];

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(BinaryMetrics.Accuracy(p, y), Is.EqualTo(0.5));
            Assert.That(BinaryMetrics.BalancedAccuracy(p, y), Is.EqualTo(0.5));
            Assert.That(BinaryMetrics.Brier(p, y), Is.EqualTo((0.01 + 0.64 + 0.09 + 0.36) / 4).Within(1e-6));
            Assert.That(BinaryMetrics.LogLoss(p, y), Is.EqualTo(-(Math.Log(0.9) + Math.Log(0.2) + Math.Log(0.7) + Math.Log(0.4)) / 4).Within(1e-6));
        });
    }

    [Test]
    public void BinaryMetricSums_SummedOverSites_EqualPooledMetrics()
    {
        // Arrange
        float[] p = [0.9f, 0.2f, 0.3f, 0.6f, 0.7f];
        float[] y = [1, 1, 0, 0, 1];
        var siteA = new float[BinaryMetricSums.Length];
        var siteB = new float[BinaryMetricSums.Length];
        BinaryMetricSums.From(p.AsSpan(0, 2), y.AsSpan(0, 2)).WriteTo(siteA);
        BinaryMetricSums.From(p.AsSpan(2), y.AsSpan(2)).WriteTo(siteB);

        // Act
        var pooled = BinaryMetricSums.ReadFrom(siteA) + BinaryMetricSums.ReadFrom(siteB);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(pooled.Accuracy, Is.EqualTo(BinaryMetrics.Accuracy(p, y)));
            Assert.That(pooled.BalancedAccuracy, Is.EqualTo(BinaryMetrics.BalancedAccuracy(p, y)));
            Assert.That(pooled.LogLoss, Is.EqualTo(BinaryMetrics.LogLoss(p, y)).Within(1e-6));
            Assert.That(pooled.Brier, Is.EqualTo(BinaryMetrics.Brier(p, y)).Within(1e-6));
        });
    }

    [Test]
    public void ConcordanceIndex_KnownRisks_CountsConcordantComparablePairs()
    {
        // Arrange: comparable pairs (i event, t_i < t_j): (0,1), (0,2), (0,3), (2,3); subject 1 is censored.
        float[] risk = [3, 1, 2, 2];
        float[] times = [1, 2, 3, 4];
        float[] events = [1, 0, 1, 0];

        // Act
        var c = ConcordanceIndex.Compute(risk, times, events);

        // Assert: (0,1), (0,2), (0,3) concordant, (2,3) tied = 3.5 / 4.
        Assert.That(c, Is.EqualTo(3.5 / 4));
    }

    [Test]
    public void ConcordanceIndex_RandomTiesAndCensoring_MatchesThePairwiseDefinition()
    {
        // Arrange: coarse values force tied times and tied risks.
        var random = new Random(12);
        const int n = 300;
        var risk = Enumerable.Range(0, n).Select(_ => (float)random.Next(20)).ToArray();
        var times = Enumerable.Range(0, n).Select(_ => (float)random.Next(50)).ToArray();
        var events = Enumerable.Range(0, n).Select(_ => (float)random.Next(2)).ToArray();
        double concordant = 0, comparable = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (events[i] == 1 && times[i] < times[j])
                {
                    comparable++;
                    concordant += risk[i] > risk[j] ? 1 : risk[i] == risk[j] ? 0.5 : 0;
                }
            }
        }

        // Act
        var c = ConcordanceIndex.Compute(risk, times, events);

        // Assert
        Assert.That(c, Is.EqualTo(concordant / comparable).Within(1e-12));
    }
}
