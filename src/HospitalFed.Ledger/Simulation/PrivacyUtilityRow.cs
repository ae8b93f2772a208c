using HospitalFed.Learning.Simulation;

namespace HospitalFed.Ledger.Simulation;

/// <summary>One row of <see cref="PrivacyUtilitySimulation"/>: a setting and its figures over the seeds.</summary>
/// <param name="Kind">Which run: <see cref="Private"/>, <see cref="PlainFedAvg"/> or <see cref="WithoutNoise"/>.</param>
/// <param name="Epsilon">The plan's epsilon, or positive infinity.</param>
/// <param name="NoiseMultiplier">The calibrated noise multiplier z of a private row, else null.</param>
/// <param name="SpentEpsilon">The epsilon the private row's rounds spent (zCDP composed, converted at the plan's delta), else null.</param>
/// <param name="Result">Pooled test accuracy and AUC (means, and per seed).</param>
public sealed record PrivacyUtilityRow(string Kind, double Epsilon, double? NoiseMultiplier, double? SpentEpsilon, MethodResult Result)
{
    /// <summary>FedAvg through the distributed discrete Gaussian mechanism at a finite epsilon.</summary>
    public const string Private = "private";

    /// <summary>Plain FedAvg as <c>hfed simulate</c> runs it: pooled statistics, sample-weighted, no clipping, no noise.</summary>
    public const string PlainFedAvg = "plain";

    /// <summary>The private pipeline without noise: public statistics, clipped deltas, unweighted mean.</summary>
    public const string WithoutNoise = "noiseless";

    /// <summary>Sample standard deviation of the pooled test accuracy over the seeds (0 for one seed).</summary>
    public double AccuracySpread => Spread(Result.SeedAccuracies);

    /// <summary>Sample standard deviation of the pooled test AUC over the seeds (0 for one seed).</summary>
    public double AucSpread => Spread(Result.SeedAucs);

    private static double Spread(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
