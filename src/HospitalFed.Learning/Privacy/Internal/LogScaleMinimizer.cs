namespace HospitalFed.Learning.Privacy.Internal;

/// <summary>
/// Minimises a function of the Rényi order alpha over (1, infinity). The search runs on
/// x = ln(alpha - 1) so that orders just above 1 (large rho) and very large orders (tiny rho)
/// are reached with the same relative resolution: a coarse grid over x in [-40, 80] (steps of 0.1) finds the
/// basin, then golden-section search refines it inside the two neighbouring grid cells.
/// </summary>
/// <remarks>
/// The conversion objectives are unimodal in alpha in practice; the grid makes the search
/// robust to a flat or slightly irregular objective anyway, and any returned order yields a
/// valid bound (only its tightness depends on finding the true minimum).
/// </remarks>
internal static class LogScaleMinimizer
{
    private const double LowestX = -40;
    private const double HighestX = 80;
    private const int GridSteps = 1200;
    private const int GoldenIterations = 200;
    private static readonly double InverseGolden = (Math.Sqrt(5) - 1) / 2;

    /// <summary>The minimum over alpha of <paramref name="objective"/>, which receives x = ln(alpha - 1).</summary>
    public static double Minimize(Func<double, double> objective)
    {
        const double step = (HighestX - LowestX) / GridSteps;
        var bestIndex = 0;
        var best = double.PositiveInfinity;
        for (var i = 0; i <= GridSteps; i++)
        {
            var value = objective(LowestX + (i * step));
            if (value < best)
            {
                best = value;
                bestIndex = i;
            }
        }

        var low = LowestX + (Math.Max(bestIndex - 1, 0) * step);
        var high = LowestX + (Math.Min(bestIndex + 1, GridSteps) * step);
        var left = high - (InverseGolden * (high - low));
        var right = low + (InverseGolden * (high - low));
        var leftValue = objective(left);
        var rightValue = objective(right);
        for (var i = 0; i < GoldenIterations && high - low > 1e-13; i++)
        {
            if (leftValue <= rightValue)
            {
                high = right;
                right = left;
                rightValue = leftValue;
                left = high - (InverseGolden * (high - low));
                leftValue = objective(left);
            }
            else
            {
                low = left;
                left = right;
                leftValue = rightValue;
                right = low + (InverseGolden * (high - low));
                rightValue = objective(right);
            }
        }

        return Math.Min(best, Math.Min(leftValue, rightValue));
    }
}
