namespace HospitalFed.Learning.Metrics;

/// <summary>
/// The score histogram behind the secure AUC: <see cref="Bins"/> equal-width bins of the
/// predicted probability's logit over [-<see cref="LogitRange"/>, <see cref="LogitRange"/>]
/// (width 1/128), the outermost bins also taking everything beyond. Each site counts its test
/// positives and negatives per bin; the counts are sums, so the aggregator learns the pooled
/// histogram and never a score.
/// </summary>
/// <remarks>
/// <para>
/// Why this works: the bin index is non-decreasing in the score, so a positive and a negative in
/// different bins are ordered exactly as their scores are; only a pair in the same bin is unknown,
/// and it counts one half (as an exact tie does in the Mann-Whitney AUC). Hence
/// |AUC_histogram - AUC_exact| &lt;= (1/2) sum_b P_b N_b / (P N), which <see cref="AucErrorBound"/>
/// computes from the same sums, so every reported AUC carries its own bound.
/// </para>
/// <para>
/// Why 2,048 bins on the logit scale: for scores whose logits have densities f+ and f- the bound
/// is about (w/2) * integral(f+ f-), w = 1/128 the bin width; for normal logits of spread sigma that
/// is at most w / (4 sigma sqrt(pi)) = 0.0011 / sigma, and the actual error (within-bin concordance
/// minus 1/2) is of order w^2, below 1e-4 in practice. Equal-width probability bins would put every
/// row of a rare outcome (p &lt; 0.01) into one or two bins; logit bins resolve both tails. The cost is
/// 4,096 integer coordinates per upload, small beside the masking and the model.
/// </para>
/// </remarks>
public static class ScoreHistogram
{
    /// <summary>The number of bins (2,048).</summary>
    public const int Bins = 2048;

    /// <summary>The bins cover logits in [-8, 8]; beyond, the first or last bin.</summary>
    public const double LogitRange = 8;

    private const double BinsPerLogit = Bins / (2 * LogitRange);

    /// <summary>The bin of a predicted probability in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is NaN or outside [0, 1].</exception>
    public static int BinOf(double probability)
    {
        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "a predicted probability must lie in [0, 1]");
        }

        // log(p) - log(1 - p) is -inf at 0 and +inf at 1; both land in the end bins.
        var logit = Math.Log(probability) - Math.Log(1 - probability);
        var bin = Math.Floor((logit + LogitRange) * BinsPerLogit);
        return (int)Math.Clamp(bin, 0, Bins - 1);
    }

    /// <summary>
    /// The AUC of a histogram: the probability that a random positive falls in a higher bin than a
    /// random negative, pairs in one bin counting one half.
    /// </summary>
    /// <param name="positives">Positives per bin (summed over sites).</param>
    /// <param name="negatives">Negatives per bin (summed over sites).</param>
    /// <returns>The AUC, or NaN when one class is absent.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double Auc(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        Check(positives, negatives);
        double below = 0, pairs = 0, totalPositives = 0;
        for (var b = 0; b < positives.Length; b++)
        {
            pairs += positives[b] * (below + (0.5 * negatives[b]));
            below += negatives[b];
            totalPositives += positives[b];
        }

        return totalPositives == 0 || below == 0 ? double.NaN : pairs / (totalPositives * below);
    }

    /// <summary>
    /// The largest possible distance between <see cref="Auc"/> and the exact AUC of the scores
    /// binned: half the share of positive-negative pairs that share a bin.
    /// </summary>
    /// <returns>The bound in [0, 1/2], or NaN when one class is absent.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double AucErrorBound(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        Check(positives, negatives);
        double shared = 0, totalPositives = 0, totalNegatives = 0;
        for (var b = 0; b < positives.Length; b++)
        {
            shared += positives[b] * negatives[b];
            totalPositives += positives[b];
            totalNegatives += negatives[b];
        }

        return totalPositives == 0 || totalNegatives == 0 ? double.NaN : 0.5 * shared / (totalPositives * totalNegatives);
    }

    private static void Check(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        if (positives.Length != negatives.Length)
        {
            throw new ArgumentException($"{positives.Length} positive bins for {negatives.Length} negative bins.", nameof(negatives));
        }
    }
}
