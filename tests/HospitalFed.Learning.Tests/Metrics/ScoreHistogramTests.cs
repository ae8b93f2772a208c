using HospitalFed.Learning.Metrics;

namespace HospitalFed.Learning.Tests.Metrics;

public sealed class ScoreHistogramTests
{
    [Test]
    public void Auc_SummedSiteHistogramsOfSmoothScores_WithinTheDerivedBoundOfTheExactPooledAuc()
    {
        // Arrange: 3 sites, logits normal with spread 1 (positives shifted by 0.8), 30,000 rows.
        var random = new Random(7);
        var sites = Enumerable.Range(0, 3).Select(_ => Rows(random, 10_000, spread: 1, shift: 0.8)).ToArray();
        var pooledScores = sites.SelectMany(s => s.Scores).ToArray();
        var pooledLabels = sites.SelectMany(s => s.Labels).ToArray();
        var sum = new double[BinaryEvaluationSums.Length];
        foreach (var (scores, labels) in sites)
        {
            var vector = new float[BinaryEvaluationSums.Length];
            BinaryEvaluationSums.From(scores, labels).WriteTo(vector);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += vector[i];
            }
        }

        // Act
        var pooled = BinaryEvaluationSums.ReadFrom(sum);
        var exact = BinaryMetrics.AucRoc(pooledScores, pooledLabels);

        // Assert: the bound holds, and for normal logits it is at most w / (4 sigma sqrt(pi)) with w = 1/128.
        var theoretical = 1.0 / 128 / (4 * 1 * Math.Sqrt(Math.PI));
        Assert.Multiple(() =>
        {
            Assert.That(Math.Abs(pooled.Auc - exact), Is.LessThanOrEqualTo(pooled.AucErrorBound));
            Assert.That(pooled.AucErrorBound, Is.LessThan(theoretical * 1.1));
            Assert.That(pooled.Auc, Is.EqualTo(exact).Within(1e-4), "within-bin errors are of order w^2 for smooth scores");
        });
    }

    [Test]
    public void Auc_TieHeavyScores_EqualsTheExactAucWithTiesCountingOneHalf()
    {
        // Arrange: only three distinct scores, so most positive-negative pairs are exact ties.
        float[] levels = [0.2f, 0.5f, 0.8f];
        var random = new Random(3);
        var scores = Enumerable.Range(0, 600).Select(_ => levels[random.Next(3)]).ToArray();
        var labels = scores.Select(s => random.NextDouble() < s ? 1f : 0f).ToArray();

        // Act
        var sums = BinaryEvaluationSums.From(scores, labels);

        // Assert: ties share a bin, so the histogram AUC is the exact Mann-Whitney AUC.
        Assert.That(sums.Auc, Is.EqualTo(BinaryMetrics.AucRoc(scores, labels)).Within(1e-12));
    }

    [Test]
    public void AucErrorBound_DistinctScoresInOneBin_IsAttained()
    {
        // Arrange: logits 0 and 0.0004 share a bin; exactly, the positive ranks above the negative.
        float[] scores = [0.5f, 0.5001f];
        float[] labels = [0, 1];

        // Act
        var sums = BinaryEvaluationSums.From(scores, labels);

        // Assert: the histogram can only say one half, and the bound says it may be off by one half.
        Assert.Multiple(() =>
        {
            Assert.That(BinaryMetrics.AucRoc(scores, labels), Is.EqualTo(1));
            Assert.That(sums.Auc, Is.EqualTo(0.5));
            Assert.That(sums.AucErrorBound, Is.EqualTo(0.5));
        });
    }

    [Test]
    public void BinOf_ProbabilitiesAcrossTheRange_AreOrderedAndClampedAtTheEnds()
    {
        // Arrange
        double[] probabilities = [0, 1e-9, 1e-3, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-9, 1];

        // Act
        var bins = probabilities.Select(ScoreHistogram.BinOf).ToArray();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(bins, Is.Ordered);
            Assert.That(bins[0], Is.EqualTo(0));
            Assert.That(bins[1], Is.EqualTo(0), "logit -20.7 is beyond -8");
            Assert.That(bins[2], Is.GreaterThan(0), "logit -6.9 is inside the range");
            Assert.That(bins[^1], Is.EqualTo(ScoreHistogram.Bins - 1));
            Assert.That(ScoreHistogram.BinOf(0.5), Is.EqualTo(ScoreHistogram.Bins / 2));
        });
    }

    [Test]
    public void BinOf_NaN_ThrowsNamingTheValue()
    {
        // Act / Assert
        Assert.That(() => ScoreHistogram.BinOf(double.NaN), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 1]"));
    }

    private static (float[] Scores, float[] Labels) Rows(Random random, int count, double spread, double shift)
    {
        var scores = new float[count];
        var labels = new float[count];
        for (var i = 0; i < count; i++)
        {
            var positive = random.NextDouble() < 0.2;
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var logit = (spread * normal) + (positive ? shift : 0) - 1.5;
            scores[i] = (float)(1 / (1 + Math.Exp(-logit)));
            labels[i] = positive ? 1 : 0;
        }

        return (scores, labels);
    }
}
