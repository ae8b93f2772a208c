using System.Globalization;

namespace HospitalFed.Learning.Metrics;

/// <summary>
/// Every sum a site contributes about the model it evaluated on its test split, and the pooled
/// metrics that follow from their element-wise sum over sites: threshold counts (accuracy,
/// balanced accuracy), log loss and Brier sums, the <see cref="ScoreHistogram"/> (AUC with its
/// error bound) and <see cref="ReliabilityBins"/> reliability bins (calibration table, expected
/// calibration error). No per-row value is in it: only counts and sums over the site's rows.
/// </summary>
/// <remarks>
/// Vector layout (<see cref="Length"/> values), grouped by quantisation bound (<see cref="Segments"/>):
/// counts <c>[TP, FP, TN, FN, positives per score bin, negatives per score bin, rows per
/// reliability bin, positives per reliability bin]</c>, then the log-loss sum, then
/// <c>[Brier sum, predicted-probability sum per reliability bin]</c>.
/// </remarks>
public sealed class BinaryEvaluationSums
{
    /// <summary>Equal-width probability bins of the reliability table (10, as in Naeini et al., AAAI 2015).</summary>
    public const int ReliabilityBins = 10;

    /// <summary>The largest log loss one row can add: -ln(<see cref="BinaryMetrics.Epsilon"/>), about 16.12.</summary>
    public static readonly double MaxRowLogLoss = -Math.Log(BinaryMetrics.Epsilon);

    private const int HistogramPositivesAt = 4;
    private const int HistogramNegativesAt = HistogramPositivesAt + ScoreHistogram.Bins;
    private const int ReliabilityRowsAt = HistogramNegativesAt + ScoreHistogram.Bins;
    private const int ReliabilityPositivesAt = ReliabilityRowsAt + ReliabilityBins;
    private const int CountsLength = ReliabilityPositivesAt + ReliabilityBins;
    private const int LogLossAt = CountsLength;
    private const int BrierAt = LogLossAt + 1;
    private const int ReliabilityPredictedAt = BrierAt + 1;

    /// <summary>How far below zero a summed value may decode from protection noise alone (0.5) before <see cref="ReadFrom"/> refuses it.</summary>
    public const double NoiseTolerance = 0.5;

    /// <summary>The name prefix of the reliability table's entries in <see cref="Report"/> ("calibration ").</summary>
    public const string CalibrationPrefix = "calibration ";

    /// <summary>Number of values in the vector form (4,128).</summary>
    public const int Length = ReliabilityPredictedAt + ReliabilityBins;

    private readonly double[] _values;

    private BinaryEvaluationSums(double[] values) => _values = values;

    /// <summary>The threshold counts with the log-loss and Brier sums.</summary>
    public BinaryMetricSums Threshold => new(_values[0], _values[1], _values[2], _values[3], _values[LogLossAt], _values[BrierAt]);

    /// <summary>Rows evaluated.</summary>
    public double Count => Threshold.Count;

    /// <summary>Histogram AUC (NaN when one class is absent); within <see cref="AucErrorBound"/> of the exact AUC.</summary>
    public double Auc => ScoreHistogram.Auc(HistogramPositives, HistogramNegatives);

    /// <summary>The largest possible distance of <see cref="Auc"/> from the exact AUC of the pooled rows.</summary>
    public double AucErrorBound => ScoreHistogram.AucErrorBound(HistogramPositives, HistogramNegatives);

    /// <summary>
    /// Expected calibration error: sum over reliability bins of |predicted sum - positives| / n,
    /// the row-weighted mean gap between mean prediction and observed rate (NaN when empty).
    /// </summary>
    public double ExpectedCalibrationError
    {
        get
        {
            double gap = 0;
            for (var b = 0; b < ReliabilityBins; b++)
            {
                gap += Math.Abs(_values[ReliabilityPredictedAt + b] - _values[ReliabilityPositivesAt + b]);
            }

            return gap / Count;
        }
    }

    /// <summary>The reliability table, one row per bin from [0, 0.1) to [0.9, 1].</summary>
    public IReadOnlyList<ReliabilityBin> Reliability =>
    [
        .. Enumerable.Range(0, ReliabilityBins).Select(b => new ReliabilityBin(
            (double)b / ReliabilityBins,
            (double)(b + 1) / ReliabilityBins,
            _values[ReliabilityRowsAt + b],
            _values[ReliabilityPredictedAt + b],
            _values[ReliabilityPositivesAt + b])),
    ];

    private ReadOnlySpan<double> HistogramPositives => _values.AsSpan(HistogramPositivesAt, ScoreHistogram.Bins);

    private ReadOnlySpan<double> HistogramNegatives => _values.AsSpan(HistogramNegativesAt, ScoreHistogram.Bins);

    /// <summary>
    /// The quantisation segments of the vector form, in order, when one site evaluates at most
    /// <paramref name="maxRows"/> rows: every count is at most the rows, the log-loss sum at most
    /// <see cref="MaxRowLogLoss"/> per row, the Brier and predicted sums at most 1 per row.
    /// </summary>
    /// <param name="maxRows">The most test rows one site may evaluate (positive).</param>
    public static IReadOnlyList<MetricSegment> Segments(double maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        return
        [
            new MetricSegment("metric-counts", CountsLength, maxRows, IsInteger: true),
            new MetricSegment("metric-log-loss", 1, maxRows * Math.Ceiling(MaxRowLogLoss), IsInteger: false),
            new MetricSegment("metric-sums", 1 + ReliabilityBins, maxRows, IsInteger: false),
        ];
    }

    /// <summary>Accumulates the sums for one site's predictions.</summary>
    /// <param name="probabilities">Predicted positive-class probabilities, each in [0, 1].</param>
    /// <param name="labels">0/1 labels (above 0.5 is positive).</param>
    /// <param name="threshold">Probability at or above which a row is predicted positive (default 0.5).</param>
    /// <exception cref="ArgumentException">The spans differ in length, or a probability is NaN or outside [0, 1] (the message names the row).</exception>
    public static BinaryEvaluationSums From(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, double threshold = 0.5)
    {
        BinaryMetrics.CheckLengths(probabilities, labels);
        var values = new double[Length];
        var counts = BinaryMetricSums.From(probabilities, labels, threshold);
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = (double)probabilities[i];
            if (!(p is >= 0 and <= 1))
            {
                throw new ArgumentException($"Predicted probability of test row {i} is {p}, outside [0, 1].", nameof(probabilities));
            }

            var positive = labels[i] > 0.5f;
            values[(positive ? HistogramPositivesAt : HistogramNegativesAt) + ScoreHistogram.BinOf(p)]++;
            var bin = Math.Min((int)(p * ReliabilityBins), ReliabilityBins - 1);
            values[ReliabilityRowsAt + bin]++;
            values[ReliabilityPredictedAt + bin] += p;
            if (positive)
            {
                values[ReliabilityPositivesAt + bin]++;
            }
        }

        (values[0], values[1], values[2], values[3]) = (counts.TruePositives, counts.FalsePositives, counts.TrueNegatives, counts.FalseNegatives);
        values[LogLossAt] = counts.LogLossSum;
        values[BrierAt] = counts.BrierSum;
        return new BinaryEvaluationSums(values);
    }

    /// <summary>
    /// Reads sums written by <see cref="WriteTo"/> (or their element-wise sum over sites). Every true
    /// sum is non-negative, but the protection's noise (stochastic rounding, CKKS decryption error,
    /// far below <see cref="NoiseTolerance"/>) can leave a zero sum slightly negative: such a value is
    /// read as 0; anything lower is refused.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not <see cref="Length"/> long, or a value is not finite or below -<see cref="NoiseTolerance"/> (the message names its index).</exception>
    public static BinaryEvaluationSums ReadFrom(ReadOnlySpan<double> source)
    {
        if (source.Length != Length)
        {
            throw new ArgumentException($"The metric sums have {source.Length} values; {Length} expected.", nameof(source));
        }

        var values = new double[Length];
        for (var i = 0; i < source.Length; i++)
        {
            if (!double.IsFinite(source[i]) || source[i] < -NoiseTolerance)
            {
                throw new ArgumentException($"Metric sum {i} is {source[i]}; sums of counts, losses and probabilities are finite and non-negative.", nameof(source));
            }

            values[i] = Math.Max(source[i], 0);
        }

        return new BinaryEvaluationSums(values);
    }

    /// <summary>Writes the <see cref="Length"/> values in vector order.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="Length"/> long.</exception>
    public void WriteTo(Span<float> destination)
    {
        if (destination.Length != Length)
        {
            throw new ArgumentException($"Need exactly {Length} elements for the metric sums, got {destination.Length}.", nameof(destination));
        }

        for (var i = 0; i < Length; i++)
        {
            destination[i] = (float)_values[i];
        }
    }

    /// <summary>
    /// The pooled metrics by stable name, for logs and reports: <c>test_rows</c>, <c>accuracy</c>,
    /// <c>log_loss</c>, <c>brier</c>, <c>ece</c>, and, when both classes are present,
    /// <c>balanced_accuracy</c>, <c>auc</c> and <c>auc_error_bound</c>; then the reliability table,
    /// per bin <c>calibration 0.1-0.2 rows</c> and, for a non-empty bin, <c>calibration 0.1-0.2 predicted</c>
    /// (mean predicted probability) and <c>calibration 0.1-0.2 observed</c> (positive rate); see
    /// <see cref="CalibrationPrefix"/>. Empty when no row was evaluated.
    /// </summary>
    public IReadOnlyDictionary<string, double> Report()
    {
        var report = new Dictionary<string, double>(StringComparer.Ordinal);
        var threshold = Threshold;
        if (threshold.Count <= 0)
        {
            return report;
        }

        report["test_rows"] = threshold.Count;
        report["accuracy"] = threshold.Accuracy;
        report["log_loss"] = threshold.LogLoss;
        report["brier"] = threshold.Brier;
        report["ece"] = ExpectedCalibrationError;
        if (double.IsFinite(Auc))
        {
            report["balanced_accuracy"] = threshold.BalancedAccuracy;
            report["auc"] = Auc;
            report["auc_error_bound"] = AucErrorBound;
        }

        foreach (var bin in Reliability)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{CalibrationPrefix}{bin.Lower:0.0}-{bin.Upper:0.0}");
            report[$"{name} rows"] = bin.Rows;
            if (bin.Rows > 0)
            {
                report[$"{name} predicted"] = bin.MeanPredicted;
                report[$"{name} observed"] = bin.ObservedRate;
            }
        }

        return report;
    }
}
