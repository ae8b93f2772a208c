namespace HospitalFed.Learning.Metrics;

/// <summary>Binary classification metrics on predicted positive-class probabilities and 0/1 labels.</summary>
public static class BinaryMetrics
{
    /// <summary>Probabilities are clamped to [Epsilon, 1 - Epsilon] in the log loss so it stays finite.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>Fraction of rows whose thresholded prediction equals the label.</summary>
    public static double Accuracy(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, double threshold = 0.5) =>
        BinaryMetricSums.From(probabilities, labels, threshold).Accuracy;

    /// <summary>Mean of sensitivity and specificity.</summary>
    public static double BalancedAccuracy(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, double threshold = 0.5) =>
        BinaryMetricSums.From(probabilities, labels, threshold).BalancedAccuracy;

    /// <summary>Mean negative log-likelihood.</summary>
    public static double LogLoss(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels) =>
        BinaryMetricSums.From(probabilities, labels, 0.5).LogLoss;

    /// <summary>Mean squared error of the probabilities (Brier 1950).</summary>
    public static double Brier(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels) =>
        BinaryMetricSums.From(probabilities, labels, 0.5).Brier;

    /// <summary>
    /// Area under the ROC curve as the Mann-Whitney statistic: the probability that a random
    /// positive scores above a random negative, ties counting one half. O(n log n).
    /// </summary>
    /// <returns>The AUC, or NaN when one class is absent.</returns>
    public static double AucRoc(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        CheckLengths(scores, labels);
        var n = scores.Length;
        var sorted = scores.ToArray();
        var isPositive = new bool[n];
        for (var i = 0; i < n; i++)
        {
            isPositive[i] = labels[i] > 0.5f;
        }

        Array.Sort(sorted, isPositive);
        double positives = 0;
        double rankSum = 0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && sorted[end] == sorted[start])
            {
                end++;
            }

            // Tied scores share the mean of their 1-based ranks.
            var meanRank = ((start + 1) + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                if (isPositive[i])
                {
                    positives++;
                    rankSum += meanRank;
                }
            }

            start = end;
        }

        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    internal static void CheckLengths(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels.", nameof(labels));
        }
    }
}
