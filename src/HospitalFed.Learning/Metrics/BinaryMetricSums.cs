namespace HospitalFed.Learning.Metrics;

/// <summary>
/// Additive sufficient statistics of the threshold and calibration metrics. Sites report these
/// sums (inside their update vector), the aggregator adds them, and pooled accuracy, balanced
/// accuracy, log loss and Brier score follow exactly. AUC is not a function of sums, so it is
/// reported per site.
/// </summary>
public readonly record struct BinaryMetricSums(
    double TruePositives,
    double FalsePositives,
    double TrueNegatives,
    double FalseNegatives,
    double LogLossSum,
    double BrierSum)
{
    /// <summary>Number of values in the vector form (<see cref="WriteTo"/>).</summary>
    public const int Length = 6;

    /// <summary>Rows counted.</summary>
    public double Count => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>(TP + TN) / n.</summary>
    public double Accuracy => (TruePositives + TrueNegatives) / Count;

    /// <summary>(TP / (TP + FN) + TN / (TN + FP)) / 2.</summary>
    public double BalancedAccuracy =>
        ((TruePositives / (TruePositives + FalseNegatives)) + (TrueNegatives / (TrueNegatives + FalsePositives))) / 2;

    /// <summary>Mean negative log-likelihood.</summary>
    public double LogLoss => LogLossSum / Count;

    /// <summary>Mean squared probability error.</summary>
    public double Brier => BrierSum / Count;

    /// <summary>Accumulates the sums for one set of predictions.</summary>
    public static BinaryMetricSums From(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, double threshold = 0.5)
    {
        BinaryMetrics.CheckLengths(probabilities, labels);
        double tp = 0, fp = 0, tn = 0, fn = 0, logLoss = 0, brier = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = (double)probabilities[i];
            var positive = labels[i] > 0.5f;
            var predicted = p >= threshold;
            if (positive)
            {
                if (predicted) { tp++; } else { fn++; }
            }
            else
            {
                if (predicted) { fp++; } else { tn++; }
            }

            var clamped = Math.Clamp(p, BinaryMetrics.Epsilon, 1 - BinaryMetrics.Epsilon);
            logLoss -= positive ? Math.Log(clamped) : Math.Log(1 - clamped);
            var error = p - (positive ? 1 : 0);
            brier += error * error;
        }

        return new BinaryMetricSums(tp, fp, tn, fn, logLoss, brier);
    }

    /// <summary>Element-wise sum of two sets of sums.</summary>
    public static BinaryMetricSums operator +(BinaryMetricSums a, BinaryMetricSums b) => new(
        a.TruePositives + b.TruePositives,
        a.FalsePositives + b.FalsePositives,
        a.TrueNegatives + b.TrueNegatives,
        a.FalseNegatives + b.FalseNegatives,
        a.LogLossSum + b.LogLossSum,
        a.BrierSum + b.BrierSum);

    /// <summary>Writes the <see cref="Length"/> sums in declaration order.</summary>
    public void WriteTo(Span<float> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"Need {Length} elements for the metric sums.", nameof(destination));
        }

        destination[0] = (float)TruePositives;
        destination[1] = (float)FalsePositives;
        destination[2] = (float)TrueNegatives;
        destination[3] = (float)FalseNegatives;
        destination[4] = (float)LogLossSum;
        destination[5] = (float)BrierSum;
    }

    /// <summary>Reads sums written by <see cref="WriteTo"/> (or their element-wise sum over sites).</summary>
    public static BinaryMetricSums ReadFrom(ReadOnlySpan<float> source)
    {
        if (source.Length < Length)
        {
            throw new ArgumentException($"Need {Length} elements for the metric sums.", nameof(source));
        }

        return new BinaryMetricSums(source[0], source[1], source[2], source[3], source[4], source[5]);
    }
}
