namespace HospitalFed.Learning.Metrics;

/// <summary>
/// Harrell's concordance index for survival predictions (Harrell et al., JAMA 1982).
/// </summary>
public static class ConcordanceIndex
{
    /// <summary>
    /// Among comparable pairs (the earlier time is an observed event), the fraction where the
    /// earlier subject has the higher risk score; risk ties count one half. Pairs with equal
    /// times are not comparable. O(n^2) pair scan.
    /// </summary>
    /// <param name="riskScores">Higher means earlier expected event (e.g. the Cox linear predictor).</param>
    /// <param name="times">Observed or censoring times.</param>
    /// <param name="events">1 for an observed event, 0 for censored.</param>
    /// <returns>The index in [0, 1], or NaN when no pair is comparable.</returns>
    public static double Compute(ReadOnlySpan<float> riskScores, ReadOnlySpan<float> times, ReadOnlySpan<float> events)
    {
        if (riskScores.Length != times.Length || times.Length != events.Length)
        {
            throw new ArgumentException("Risk scores, times and events must have the same length.", nameof(times));
        }

        double concordant = 0;
        double comparable = 0;
        for (var i = 0; i < times.Length; i++)
        {
            if (events[i] == 0)
            {
                continue;
            }

            for (var j = 0; j < times.Length; j++)
            {
                if (times[j] <= times[i])
                {
                    continue;
                }

                comparable++;
                if (riskScores[i] > riskScores[j])
                {
                    concordant++;
                }
                else if (riskScores[i] == riskScores[j])
                {
                    concordant += 0.5;
                }
            }
        }

        return comparable == 0 ? double.NaN : concordant / comparable;
    }
}
