using HospitalFed.Crypto.Arithmetic;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy.Internal;

namespace HospitalFed.Crypto.Privacy;

/// <summary>
/// Conditional randomised rounding of Kairouz, Liu and Steinke, "The Distributed Discrete Gaussian
/// Mechanism for Federated Learning with Secure Aggregation" (ICML 2021), Algorithm 1 (the
/// "round" step) with the bound of their Section 4: scale x (with ||x||_2 &lt;= c) by gamma, round
/// each coordinate up with probability equal to its fractional part, and retry until
/// ||round(gamma x)||_2^2 &lt;= Delta^2, where with c' = gamma c
/// <code>
/// Delta^2 = min( c'^2 + d/4 + sqrt(2 ln(1/beta)) (c' + sqrt(d)/2),  (c' + sqrt(d))^2 ).
/// </code>
/// Each attempt passes with probability at least 1 - beta, and every output has norm at most
/// Delta, which is the L2 sensitivity the discrete Gaussian noise must cover in the integer domain.
/// </summary>
/// <remarks>
/// Rounding is unbiased exactly for the double gamma x_i: P(up) is exactly its fractional part.
/// Each coordinate compares a 16-bit coin with the top 16 bits of the fractional part, and only a
/// tie (probability 2^-16) draws further 32-bit words from the caller's source for the bits below,
/// so no coin width limits the precision (see RoundingKernel). The coins come in bulk from
/// AES-128-CTR under a key drawn from the caller's source once per call. The privacy rests on the
/// norm bound, checked exactly on the 64-bit integer sum of squares against floor(Delta^2); the
/// conditioning adds a bias of order beta. Immutable and thread-safe.
/// </remarks>
public sealed class ConditionalRandomizedRounding
{
    /// <summary>Attempts before <see cref="Round"/> gives up: each fails with probability at most beta, so all of them with at most beta^1000 (e^-500 at the paper's beta = e^-0.5).</summary>
    public const int MaxAttempts = 1000;

    /// <summary>Creates the rounding of <paramref name="dimension"/>-coordinate vectors of L2 norm at most <paramref name="clipNorm"/>.</summary>
    /// <param name="dimension">d: positive.</param>
    /// <param name="clipNorm">c: the L2 bound of the inputs; finite and positive.</param>
    /// <param name="scale">gamma: the inputs are multiplied by it before rounding; finite and positive.</param>
    /// <param name="beta">beta in (0, 1): the bound's failure probability per attempt; the paper and TensorFlow Federated use e^-0.5.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range, or c gamma + sqrt(d) reaches 2^30 (the integers would not fit).</exception>
    public ConditionalRandomizedRounding(int dimension, double clipNorm, double scale, double beta)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        RequirePositive(clipNorm, nameof(clipNorm));
        RequirePositive(scale, nameof(scale));
        if (!(beta > 0 && beta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be in (0, 1)");
        }

        var scaledClip = clipNorm * scale;
        var rootD = Math.Sqrt(dimension);
        if (scaledClip + rootD >= 1 << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"clip norm x scale + sqrt(d) = {scaledClip + rootD} reaches 2^30; rounded coordinates would not fit in an int");
        }

        Dimension = dimension;
        ClipNorm = clipNorm;
        Scale = scale;
        Beta = beta;
        var probabilistic = (scaledClip * scaledClip) + (dimension / 4.0) + (Math.Sqrt(2 * Math.Log(1 / beta)) * (scaledClip + (rootD / 2)));
        NormBoundSquared = Math.Min(probabilistic, (scaledClip + rootD) * (scaledClip + rootD));
        NormBoundFloor = (long)Math.Floor(NormBoundSquared);
    }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>c.</summary>
    public double ClipNorm { get; }

    /// <summary>gamma.</summary>
    public double Scale { get; }

    /// <summary>beta.</summary>
    public double Beta { get; }

    /// <summary>Delta^2: every rounded vector's squared L2 norm is at most this.</summary>
    public double NormBoundSquared { get; }

    /// <summary>floor(Delta^2): an integer sum of squares is at most Delta^2 exactly when it is at most this (below 2^60, so exact in a long).</summary>
    internal long NormBoundFloor { get; }

    /// <summary>Rounds gamma x into <paramref name="destination"/>; returns how many attempts it took.</summary>
    /// <param name="x">The input, length d, L2 norm at most c (clip it first).</param>
    /// <param name="destination">The rounded integers, length d.</param>
    /// <param name="random">The rounding coins; default <see cref="CryptographicRandomSource.Shared"/>.</param>
    /// <exception cref="ArgumentException">A length is not d, or ||x|| exceeds c.</exception>
    /// <exception cref="InvalidOperationException">No attempt met the bound in <see cref="MaxAttempts"/> tries.</exception>
    public int Round(ReadOnlySpan<double> x, Span<int> destination, IRandomSource? random = null)
    {
        if (x.Length != Dimension || destination.Length != Dimension)
        {
            throw new ArgumentException($"the rounding takes {Dimension} values to {Dimension}; got {x.Length} and {destination.Length}");
        }

        var norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(x));
        if (!(norm <= ClipNorm * (1 + 1e-9)))
        {
            throw new ArgumentException($"the input's L2 norm {norm} exceeds the clip norm {ClipNorm}; clip before rounding", nameof(x));
        }

        random ??= CryptographicRandomSource.Shared;
        using var coins = new RoundingCoins(random);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            long squares = 0;
            for (var start = 0; start < x.Length; start += RoundingCoins.BufferWords)
            {
                var length = Math.Min(RoundingCoins.BufferWords, x.Length - start);
                squares += RoundingKernel.Round(x.Slice(start, length), length, 1, Scale, coins.Take(length), destination, start, length, random, SimdSupport.Best);
            }

            if (squares <= NormBoundFloor)
            {
                return attempt;
            }
        }

        throw NoAttemptMetTheBound();
    }

    /// <summary>The error when <see cref="MaxAttempts"/> attempts all failed the bound.</summary>
    internal InvalidOperationException NoAttemptMetTheBound() =>
        new($"no rounding met the norm bound in {MaxAttempts} attempts (beta {Beta}); the input is not what the parameters assume");

    private static void RequirePositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and positive");
        }
    }
}
