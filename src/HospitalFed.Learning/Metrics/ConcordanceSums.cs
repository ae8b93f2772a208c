namespace HospitalFed.Learning.Metrics;

/// <summary>
/// The sums behind a secure concordance index (Harrell's C) for survival predictions: per time
/// bin and risk-score bin, the count of subjects and the count of observed events. Each site
/// counts its own test subjects; the counts are sums, so the aggregator learns only the pooled
/// two-way histogram and never a subject's time, event or score.
/// </summary>
/// <remarks>
/// <para>
/// Time bins come from edges fixed in advance (the plan's, public): bin k holds times in
/// [edge k-1, edge k). Risk bins are <see cref="RiskBins"/> equal-width bins of the risk score
/// (the Cox linear predictor) over [-<see cref="RiskRange"/>, <see cref="RiskRange"/>], the end bins
/// also taking everything beyond.
/// </para>
/// <para>
/// Estimate: only pairs (i, j) where i has an event in a time bin earlier than j's bin are certainly
/// comparable (t_i &lt; t_j); among those, different risk bins order the pair exactly and a shared
/// risk bin counts one half, as a risk tie does in Harrell's C. So <see cref="Estimate"/> = X / M with
/// M those pairs and X their concordance. What binning hides: up to H = half the shared-risk-bin
/// pairs of X, and the pairs within one time bin, of which at most W = sum_k E_k (A_k - 1) - E_k (E_k - 1) / 2
/// are comparable (E_k events, A_k subjects in bin k; of two events only the earlier is comparable), each concordant or not. The exact index
/// (X + Y) / (M + W') with |X - X^| &lt;= H, 0 &lt;= Y &lt;= W' &lt;= W therefore lies in
/// [(X^ - H) / (M + W), (X^ + H + W) / (M + W)], and <see cref="ErrorBound"/> is the larger distance
/// of the estimate from either end: a bound computed from the same sums, like
/// <see cref="ScoreHistogram.AucErrorBound"/>. Finer time edges shrink W.
/// </para>
/// </remarks>
public sealed class ConcordanceSums
{
    /// <summary>Risk-score bins (256, width 1/16 over [-8, 8]).</summary>
    public const int RiskBins = 256;

    /// <summary>Risk scores are binned over [-8, 8] (hazard ratios from e^-8 to e^8); beyond, the end bins.</summary>
    public const double RiskRange = 8;

    private const double BinsPerUnit = RiskBins / (2 * RiskRange);

    private readonly double[] _edges;
    private readonly double[] _subjects;
    private readonly double[] _events;

    private ConcordanceSums(double[] edges, double[] subjects, double[] events)
    {
        _edges = edges;
        _subjects = subjects;
        _events = events;
    }

    /// <summary>Time bins: one more than the edges.</summary>
    public int TimeBins => _edges.Length + 1;

    /// <summary>Values in the vector form: subjects then events, each time bin by risk bin.</summary>
    public int Length => 2 * TimeBins * RiskBins;

    /// <summary>The number of values in the vector form for <paramref name="timeEdges"/> edges.</summary>
    public static int LengthFor(int timeEdges) => 2 * (timeEdges + 1) * RiskBins;

    /// <summary>Counts one site's test subjects.</summary>
    /// <param name="riskScores">Higher means an earlier expected event (e.g. the Cox linear predictor); finite.</param>
    /// <param name="times">Event or censoring times; finite.</param>
    /// <param name="events">1 for an observed event, 0 for censored (above 0.5 is an event).</param>
    /// <param name="timeEdges">Strictly increasing finite time-bin edges, fixed before any data is seen.</param>
    /// <exception cref="ArgumentException">The spans differ in length, the edges are not strictly increasing and finite, or a score or time is not finite (the message names the row).</exception>
    public static ConcordanceSums From(ReadOnlySpan<float> riskScores, ReadOnlySpan<float> times, ReadOnlySpan<float> events, ReadOnlySpan<double> timeEdges)
    {
        if (riskScores.Length != times.Length || times.Length != events.Length)
        {
            throw new ArgumentException($"{riskScores.Length} risk scores, {times.Length} times and {events.Length} event flags; one of each per subject expected.", nameof(times));
        }

        var edges = CheckEdges(timeEdges);
        var sums = new ConcordanceSums(edges, new double[(edges.Length + 1) * RiskBins], new double[(edges.Length + 1) * RiskBins]);
        for (var i = 0; i < times.Length; i++)
        {
            if (!float.IsFinite(riskScores[i]) || !float.IsFinite(times[i]))
            {
                throw new ArgumentException($"Subject {i} has risk score {riskScores[i]} and time {times[i]}; both must be finite.", nameof(riskScores));
            }

            var index = (TimeBinOf(edges, times[i]) * RiskBins) + RiskBinOf(riskScores[i]);
            sums._subjects[index]++;
            if (events[i] > 0.5f)
            {
                sums._events[index]++;
            }
        }

        return sums;
    }

    /// <summary>
    /// Reads sums written by <see cref="WriteTo"/> (or their element-wise sum over sites); values a
    /// protection's noise left slightly below zero (down to -<see cref="BinaryEvaluationSums.NoiseTolerance"/>) read as 0.
    /// </summary>
    /// <exception cref="ArgumentException">The length does not fit the edges, the edges are invalid, or a value is not finite or too negative (the message names its index).</exception>
    public static ConcordanceSums ReadFrom(ReadOnlySpan<double> source, ReadOnlySpan<double> timeEdges)
    {
        var edges = CheckEdges(timeEdges);
        var half = (edges.Length + 1) * RiskBins;
        if (source.Length != 2 * half)
        {
            throw new ArgumentException($"The concordance sums have {source.Length} values; {2 * half} expected for {edges.Length} time edges.", nameof(source));
        }

        var values = new double[2 * half];
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(source[i]) || source[i] < -BinaryEvaluationSums.NoiseTolerance)
            {
                throw new ArgumentException($"Concordance sum {i} is {source[i]}; counts are finite and non-negative.", nameof(source));
            }

            values[i] = Math.Round(Math.Max(source[i], 0)); // counts: noise rounds away
        }

        return new ConcordanceSums(edges, values[..half], values[half..]);
    }

    /// <summary>Writes the <see cref="Length"/> values: subjects, then events.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="Length"/> long.</exception>
    public void WriteTo(Span<double> destination)
    {
        if (destination.Length != Length)
        {
            throw new ArgumentException($"Need exactly {Length} elements for the concordance sums, got {destination.Length}.", nameof(destination));
        }

        _subjects.CopyTo(destination);
        _events.CopyTo(destination[_subjects.Length..]);
    }

    /// <summary>The binned C-index X / M (NaN when no pair is certainly comparable); within <see cref="ErrorBound"/> of the exact index.</summary>
    public double Estimate => Evaluate().Estimate;

    /// <summary>The largest possible distance of <see cref="Estimate"/> from Harrell's C of the pooled subjects (NaN with <see cref="Estimate"/>).</summary>
    public double ErrorBound => Evaluate().Bound;

    /// <summary>The risk bin of a score.</summary>
    public static int RiskBinOf(double riskScore) =>
        (int)Math.Clamp(Math.Floor((riskScore + RiskRange) * BinsPerUnit), 0, RiskBins - 1);

    private (double Estimate, double Bound) Evaluate()
    {
        var later = new double[RiskBins]; // subjects per risk bin in later time bins
        double laterTotal = 0, concordant = 0, comparable = 0, sharedHalf = 0, within = 0;
        for (var k = TimeBins - 1; k >= 0; k--)
        {
            var row = k * RiskBins;
            double below = 0, events = 0, subjects = 0;
            for (var b = 0; b < RiskBins; b++)
            {
                // An event at risk bin b is concordant with every later subject of a lower risk bin.
                var e = _events[row + b];
                concordant += e * (below + (0.5 * later[b]));
                sharedHalf += 0.5 * e * later[b];
                comparable += e * laterTotal;
                below += later[b];
                events += e;
                subjects += _subjects[row + b];
            }

            // Ordered pairs (event i, other subject j) in this bin, less one direction of each event-event pair (never both comparable).
            within += Math.Max((events * (subjects - 1)) - (events * (events - 1) / 2), 0);
            for (var b = 0; b < RiskBins; b++)
            {
                later[b] += _subjects[row + b];
            }

            laterTotal += subjects;
        }

        if (comparable == 0)
        {
            return (double.NaN, double.NaN);
        }

        var estimate = concordant / comparable;
        var lowest = (concordant - sharedHalf) / (comparable + within);
        var highest = (concordant + sharedHalf + within) / (comparable + within);
        return (estimate, Math.Max(estimate - lowest, highest - estimate));
    }

    private static int TimeBinOf(double[] edges, double time)
    {
        var found = Array.BinarySearch(edges, time);
        return found >= 0 ? found + 1 : ~found; // a time equal to an edge opens the next bin
    }

    private static double[] CheckEdges(ReadOnlySpan<double> edges)
    {
        for (var i = 0; i < edges.Length; i++)
        {
            if (!double.IsFinite(edges[i]) || (i > 0 && edges[i] <= edges[i - 1]))
            {
                throw new ArgumentException($"Time edge {i} is {edges[i]}; edges must be finite and strictly increasing.", nameof(edges));
            }
        }

        return edges.ToArray();
    }
}
