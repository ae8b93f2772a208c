namespace HospitalFed.Crypto.Privacy;

/// <summary>
/// L2 clipping: x -> x * min(1, C / ||x||_2), the projection onto the ball of radius C that bounds
/// one contribution's L2 sensitivity by C (Abadi et al., "Deep Learning with Differential
/// Privacy", CCS 2016, Algorithm 1; Kairouz, Liu and Steinke ICML 2021, Algorithm 1, line "clip").
/// </summary>
public static class L2Clipping
{
    /// <summary>The L2 norm, accumulated in double.</summary>
    /// <exception cref="ArgumentException">A coordinate is not finite (named by index).</exception>
    public static double Norm(ReadOnlySpan<float> x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"coordinate {i} is not finite ({v})", nameof(x));
            }

            sum += v * v;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Writes x * min(1, C / ||x||) to <paramref name="destination"/> (which may be <paramref name="x"/>'s
    /// own memory) and returns the factor applied (1 when x is already inside the ball).
    /// </summary>
    /// <param name="x">The vector.</param>
    /// <param name="clipNorm">C: finite and positive.</param>
    /// <param name="destination">Same length as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">C is not finite and positive.</exception>
    /// <exception cref="ArgumentException">The lengths differ, or a coordinate is not finite.</exception>
    public static double Clip(ReadOnlySpan<float> x, double clipNorm, Span<float> destination)
    {
        if (!double.IsFinite(clipNorm) || clipNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clipNorm), clipNorm, "the clip norm must be finite and positive");
        }

        if (destination.Length != x.Length)
        {
            throw new ArgumentException($"the destination has {destination.Length} values; the vector has {x.Length}", nameof(destination));
        }

        var factor = Factor(Norm(x), clipNorm);
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = (float)(x[i] * factor);
        }

        return factor;
    }

    /// <summary>min(1, C / ||x||) for a vector of norm <paramref name="norm"/>, nudged down by 1e-6 relative when it clips.</summary>
    internal static double Factor(double norm, double clipNorm) =>
        // Float rounding of x * factor can push the norm a hair above C; the nudge keeps the
        // clipped norm at or below C.
        norm > clipNorm ? clipNorm / norm * (1 - 1e-6) : 1.0;
}
