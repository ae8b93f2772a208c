using HospitalFed.Learning.Privacy.Internal;

namespace HospitalFed.Learning.Privacy;

/// <summary>
/// The inverse of the accountant: how much noise a target (epsilon, delta) over a number of
/// rounds needs. Each method first finds, by bisection, the largest total rho whose
/// <see cref="ZcdpConversion.Epsilon"/> stays within the target, then the noise that keeps
/// <c>rounds * roundRho</c> within that total. Every result errs on the safe side: the returned
/// noise meets the target, and noise smaller by one part in 10^9 may not.
/// </summary>
public static class NoiseCalibration
{
    private const int BisectionSteps = 200;
    private const double RelativeTolerance = 1e-12;

    /// <summary>The largest total rho whose (epsilon, delta) conversion is within <paramref name="epsilon"/>.</summary>
    /// <param name="epsilon">Target epsilon, greater than 0.</param>
    /// <param name="delta">Target delta, strictly between 0 and 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">epsilon is not a positive finite number or delta is outside (0, 1).</exception>
    public static double MaximumRho(double epsilon, double delta)
    {
        PrivacyArguments.Positive(epsilon, nameof(epsilon));
        PrivacyArguments.Delta(delta, nameof(delta));

        // Epsilon is 0 at rho 0 and grows with rho.
        return Split(0, epsilon, rho => ZcdpConversion.Epsilon(rho, delta) > epsilon).Low;
    }

    /// <summary>
    /// The Gaussian noise multiplier z = sigma / L2 sensitivity that keeps <paramref name="rounds"/>
    /// rounds at the minimum number of contributors (rho = 1 / (2 z^2) each) within (epsilon, delta).
    /// Use it for <see cref="DistributedGaussian"/> (CKKS plans).
    /// </summary>
    /// <param name="epsilon">Target epsilon over all rounds, greater than 0.</param>
    /// <param name="delta">Target delta, strictly between 0 and 1.</param>
    /// <param name="rounds">Number of rounds, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public static double GaussianNoiseMultiplier(double epsilon, double delta, int rounds)
    {
        PrivacyArguments.AtLeast(rounds, 1, nameof(rounds));
        var total = MaximumRho(epsilon, delta);
        var multiplier = Math.Sqrt(rounds / (2 * total));

        // Guard against the last bit of rounding pushing the composed cost past the total.
        while (rounds / (2 * multiplier * multiplier) > total)
        {
            multiplier = Math.BitIncrement(multiplier);
        }

        return multiplier;
    }

    /// <summary>
    /// The central discrete Gaussian scale sigma (integer domain) that keeps <paramref name="rounds"/>
    /// rounds of <see cref="DistributedDiscreteGaussian"/>, each with <paramref name="contributors"/>
    /// contributors, within (epsilon, delta). Never below the smallest sigma the mechanism accepts
    /// (a share scale of 1/2).
    /// </summary>
    /// <param name="l2Sensitivity">L2 sensitivity of the summed integer vector, greater than 0.</param>
    /// <param name="minimumContributors">Sites whose shares together reach sigma, at least 1.</param>
    /// <param name="contributors">Contributors per round to calibrate for, at least <paramref name="minimumContributors"/>; tau grows with it.</param>
    /// <param name="dimension">Number of noised coordinates, at least 1.</param>
    /// <param name="epsilon">Target epsilon over all rounds, greater than 0.</param>
    /// <param name="delta">Target delta, strictly between 0 and 1.</param>
    /// <param name="rounds">Number of rounds, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public static double DiscreteGaussianSigma(
        double l2Sensitivity, int minimumContributors, int contributors, int dimension, double epsilon, double delta, int rounds)
    {
        PrivacyArguments.AtLeast(minimumContributors, 1, nameof(minimumContributors));
        PrivacyArguments.AtLeast(contributors, minimumContributors, nameof(contributors));
        PrivacyArguments.AtLeast(rounds, 1, nameof(rounds));
        var total = MaximumRho(epsilon, delta);
        var smallest = 0.5 * Math.Sqrt(minimumContributors);
        while (smallest / Math.Sqrt(minimumContributors) < 0.5)
        {
            smallest = Math.BitIncrement(smallest);
        }

        bool Fits(double sigma) =>
            rounds * new DistributedDiscreteGaussian(l2Sensitivity, sigma, minimumContributors, dimension).RoundRho(contributors) <= total;

        return Fits(smallest) ? smallest : Split(smallest, 2 * smallest, Fits).High;
    }

    /// <summary>
    /// Brackets and bisects the point where a monotone predicate turns true: from
    /// <paramref name="low"/> (where it is false) it doubles <paramref name="high"/> until it holds, then halves the gap
    /// to a relative width of 1e-12. Low is the last point seen false, High the first seen true.
    /// </summary>
    private static (double Low, double High) Split(double low, double high, Func<double, bool> holds)
    {
        while (!holds(high))
        {
            low = high;
            high *= 2;
        }

        for (var i = 0; i < BisectionSteps && high - low > RelativeTolerance * high; i++)
        {
            var middle = low + ((high - low) / 2);
            if (holds(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return (low, high);
    }
}
