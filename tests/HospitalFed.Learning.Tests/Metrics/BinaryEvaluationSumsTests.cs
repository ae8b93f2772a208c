using HospitalFed.Learning.Metrics;

namespace HospitalFed.Learning.Tests.Metrics;

public sealed class BinaryEvaluationSumsTests
{
    [Test]
    public void Reliability_KnownPredictions_GivesTheTableAndExpectedCalibrationError()
    {
        // Arrange: bin [0.1, 0.2): 0.15, 0.15 (one positive); bin [0.9, 1]: 0.95, 1.0 (both positive).
        float[] p = [0.15f, 0.15f, 0.95f, 1f];
        float[] y = [0, 1, 1, 1];

        // Act
        var sums = BinaryEvaluationSums.From(p, y);
        var table = sums.Reliability;

        // Assert: ECE = (|0.3 - 1| + |1.95 - 2|) / 4.
        Assert.Multiple(() =>
        {
            Assert.That(table, Has.Count.EqualTo(10));
            Assert.That(table[1].Rows, Is.EqualTo(2));
            Assert.That(table[1].MeanPredicted, Is.EqualTo(0.15).Within(1e-7));
            Assert.That(table[1].ObservedRate, Is.EqualTo(0.5));
            Assert.That(table[9].Rows, Is.EqualTo(2), "a probability of 1 belongs to the last bin");
            Assert.That(table[9].Upper, Is.EqualTo(1));
            Assert.That(table.Where((_, b) => b is not 1 and not 9).Sum(r => r.Rows), Is.Zero);
            Assert.That(sums.ExpectedCalibrationError, Is.EqualTo((0.7 + 0.05) / 4).Within(1e-7));
        });
    }

    [Test]
    public void Report_SummedOverSites_EqualsThePooledMetrics()
    {
        // Arrange
        var random = new Random(11);
        var p = Enumerable.Range(0, 500).Select(_ => (float)random.NextDouble()).ToArray();
        var y = p.Select(v => random.NextDouble() < v ? 1f : 0f).ToArray();
        var siteA = new float[BinaryEvaluationSums.Length];
        var siteB = new float[BinaryEvaluationSums.Length];
        BinaryEvaluationSums.From(p.AsSpan(0, 200), y.AsSpan(0, 200)).WriteTo(siteA);
        BinaryEvaluationSums.From(p.AsSpan(200), y.AsSpan(200)).WriteTo(siteB);

        // Act
        var summed = BinaryEvaluationSums.ReadFrom([.. siteA.Zip(siteB, (a, b) => (double)a + b)]).Report();
        var pooled = BinaryEvaluationSums.From(p, y).Report();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(summed.Keys.Where(k => !k.StartsWith(BinaryEvaluationSums.CalibrationPrefix, StringComparison.Ordinal)), Is.EquivalentTo(new[] { "test_rows", "accuracy", "balanced_accuracy", "log_loss", "brier", "ece", "auc", "auc_error_bound" }));
            Assert.That(summed.Keys.Count(k => k.StartsWith(BinaryEvaluationSums.CalibrationPrefix, StringComparison.Ordinal)), Is.EqualTo(30), "10 bins, none empty");
            Assert.That(summed["calibration 0.0-0.1 rows"], Is.EqualTo(p.Count(v => v < 0.1f)));
            foreach (var (name, value) in pooled)
            {
                Assert.That(summed[name], Is.EqualTo(value).Within(1e-5), name);
            }

            Assert.That(summed["accuracy"], Is.EqualTo(BinaryMetrics.Accuracy(p, y)));
            Assert.That(summed["brier"], Is.EqualTo(BinaryMetrics.Brier(p, y)).Within(1e-6));
            Assert.That(summed["log_loss"], Is.EqualTo(BinaryMetrics.LogLoss(p, y)).Within(1e-6));
        });
    }

    [Test]
    public void Report_OneClassOnly_OmitsTheMetricsThatNeedBoth()
    {
        // Act
        var report = BinaryEvaluationSums.From([0.2f, 0.7f], [1, 1]).Report();

        // Assert: AUC and balanced accuracy are undefined; the log entry takes finite numbers only.
        Assert.Multiple(() =>
        {
            Assert.That(report.Keys.Where(k => !k.StartsWith(BinaryEvaluationSums.CalibrationPrefix, StringComparison.Ordinal)), Is.EquivalentTo(new[] { "test_rows", "accuracy", "log_loss", "brier", "ece" }));
            Assert.That(report, Does.ContainKey("calibration 0.2-0.3 observed").And.Not.ContainKey("calibration 0.3-0.4 observed"), "empty bins give only their row count");
            Assert.That(report.Values, Has.All.Matches<double>(double.IsFinite));
        });
    }

    [Test]
    public void Segments_WorstCasePredictions_StayWithinEveryBound()
    {
        // Arrange: every row confidently wrong (log loss at its clamp) and every row in one bin.
        const int rows = 1000;
        var p = Enumerable.Repeat(0f, rows).ToArray();
        var y = Enumerable.Repeat(1f, rows).ToArray();
        var vector = new float[BinaryEvaluationSums.Length];
        BinaryEvaluationSums.From(p, y).WriteTo(vector);
        var confident = new float[BinaryEvaluationSums.Length];
        BinaryEvaluationSums.From(Enumerable.Repeat(1f, rows).ToArray(), y).WriteTo(confident);

        // Act
        var segments = BinaryEvaluationSums.Segments(rows);

        // Assert
        Assert.That(segments.Sum(s => s.Length), Is.EqualTo(BinaryEvaluationSums.Length));
        var offset = 0;
        foreach (var segment in segments)
        {
            for (var i = offset; i < offset + segment.Length; i++)
            {
                Assert.That(Math.Max(vector[i], confident[i]), Is.LessThanOrEqualTo(segment.Bound), $"{segment.Name} coordinate {i}");
                Assert.That(!segment.IsInteger || (vector[i] == Math.Round(vector[i]) && confident[i] == Math.Round(confident[i])), $"{segment.Name} coordinate {i} is a count");
            }

            offset += segment.Length;
        }

        Assert.That(vector.Max(), Is.GreaterThan(rows * 16), "the worst-case log loss needs its own, wider bound");
    }

    [Test]
    public void From_ProbabilityOutsideTheUnitInterval_ThrowsNamingTheRow()
    {
        // Act / Assert
        Assert.That(
            () => BinaryEvaluationSums.From([0.2f, float.NaN], [0, 1]),
            Throws.ArgumentException.With.Message.Contains("test row 1"));
    }

    [Test]
    public void ReadFrom_WrongLength_ThrowsNamingBothLengths()
    {
        // Act / Assert
        Assert.That(
            () => BinaryEvaluationSums.ReadFrom(new double[6]),
            Throws.ArgumentException.With.Message.Contains("6 values").And.Message.Contains(BinaryEvaluationSums.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void ReadFrom_NoiseBelowZero_ReadsZeroButRefusesAClearlyNegativeSum()
    {
        // Arrange: CKKS decryption noise leaves an empty bin's sum at -0.005.
        var noisy = new double[BinaryEvaluationSums.Length];
        noisy[0] = 3;
        noisy[^1] = -0.005;
        var corrupt = (double[])noisy.Clone();
        corrupt[5] = -2;

        // Act
        var sums = BinaryEvaluationSums.ReadFrom(noisy);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(sums.Reliability[^1].PredictedSum, Is.Zero);
            Assert.That(() => BinaryEvaluationSums.ReadFrom(corrupt), Throws.ArgumentException.With.Message.Contains("Metric sum 5 is -2"));
        });
    }
}
