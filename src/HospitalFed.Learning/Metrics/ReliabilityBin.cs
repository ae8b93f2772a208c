namespace HospitalFed.Learning.Metrics;

/// <summary>One row of a reliability (calibration) table: the rows whose predicted probability fell in [Lower, Upper).</summary>
/// <param name="Lower">The bin's lower edge.</param>
/// <param name="Upper">The bin's upper edge (the last bin includes 1).</param>
/// <param name="Rows">Rows in the bin (summed over sites).</param>
/// <param name="PredictedSum">Sum of their predicted probabilities.</param>
/// <param name="Positives">How many of them were positive.</param>
public readonly record struct ReliabilityBin(double Lower, double Upper, double Rows, double PredictedSum, double Positives)
{
    /// <summary>Mean predicted probability in the bin (NaN when empty).</summary>
    public double MeanPredicted => PredictedSum / Rows;

    /// <summary>Observed positive rate in the bin (NaN when empty).</summary>
    public double ObservedRate => Positives / Rows;
}
