using System.Numerics;
using HospitalFed.Learning.Features.Internal;

namespace HospitalFed.Learning.Features;

/// <summary>
/// One site's (or the federation's) exact per-feature statistics: the count of observed values,
/// their sum and their sum of squares as integers in units of 2^-149 and 2^-298, where every
/// float32 value and its square are whole numbers. Secure aggregation sums them without rounding
/// through the limb encoding (<see cref="WriteTo"/>, <see cref="ReadFrom"/>), and
/// <see cref="ToStatistics"/> turns the pooled sums into a mean and a centred sum of squares
/// exactly, so no feature's variance cancels, whatever its scale or offset (docs/learning.md,
/// "Feature statistics").
/// </summary>
/// <remarks>
/// Limb encoding: a sum S is written as signed base-2^<see cref="LimbBits"/> digits
/// sign(S) (|S| >> 20 i) mod 2^20, so every coordinate is an integer of magnitude at most
/// <see cref="LimbBound"/> (a float32 holds it exactly; an integer quantisation segment sums it
/// exactly for up to 2047 sites), and the digit-wise sum of many sites recomposes to the exact
/// sum. Vector layout: counts (one per feature), then <see cref="SumLimbs"/> limbs per feature of
/// the sums, then <see cref="SquareLimbs"/> limbs per feature of the sums of squares, each
/// feature's limbs least significant first. Privacy: a secure sum of these vectors reveals each
/// limb position's sum, which beyond the pooled totals tells, at every 20-bit boundary, how many
/// times the sites' lower digits carried (an integer below the number of sites plus one in
/// magnitude), never one site's sum (docs/learning.md, "Feature statistics").
/// </remarks>
public sealed class FeatureSums
{
    /// <summary>Bits per limb.</summary>
    public const int LimbBits = 20;

    /// <summary>The largest magnitude of one site's limb: 2^20 - 1.</summary>
    public const int LimbBound = (1 << LimbBits) - 1;

    /// <summary>Limbs per sum: 320 bits hold 2^31 values of magnitude below 2^128, in units of 2^-149 (2^308).</summary>
    public const int SumLimbs = 16;

    /// <summary>Limbs per sum of squares: 600 bits hold 2^31 squares below 2^256, in units of 2^-298 (2^585).</summary>
    public const int SquareLimbs = 30;

    /// <summary>Binary digits after the point of the sums' fixed-point unit (2^-149, the smallest float32).</summary>
    public const int FractionBits = 149;

    private readonly long[] _counts;
    private readonly BigInteger[] _sums;
    private readonly BigInteger[] _squares;

    private FeatureSums(long[] counts, BigInteger[] sums, BigInteger[] squares)
    {
        _counts = counts;
        _sums = sums;
        _squares = squares;
    }

    /// <summary>Number of features.</summary>
    public int FeatureCount => _counts.Length;

    /// <summary>Observed (non-missing) values per feature.</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>Exact sum of the observed values per feature, in units of 2^-149.</summary>
    public IReadOnlyList<BigInteger> Sums => _sums;

    /// <summary>Exact sum of the squared observed values per feature, in units of 2^-298.</summary>
    public IReadOnlyList<BigInteger> SumsOfSquares => _squares;

    /// <summary>Length of the limb encoding of <paramref name="features"/> features: 47 per feature.</summary>
    public static int VectorLength(int features) => checked(features * (1 + SumLimbs + SquareLimbs));

    /// <summary>Collects one accumulator per feature (see <see cref="FeaturePipeline.ComputeSums"/>).</summary>
    internal static FeatureSums From(IReadOnlyList<ExactAccumulator> features) => new(
        [.. features.Select(a => a.Count)],
        [.. features.Select(a => a.Sum())],
        [.. features.Select(a => a.SumOfSquares())]);

    /// <summary>Writes the limb encoding (<see cref="VectorLength"/> values, each an integer of magnitude at most <see cref="LimbBound"/> but the counts).</summary>
    /// <exception cref="ArgumentException">The destination has the wrong length.</exception>
    /// <exception cref="OverflowException">A sum needs more limbs than the encoding has (more than 2^31 values).</exception>
    public void WriteTo(Span<float> destination)
    {
        var features = FeatureCount;
        if (destination.Length != VectorLength(features))
        {
            throw new ArgumentException($"The limb encoding of {features} features has {VectorLength(features)} values, not {destination.Length}.", nameof(destination));
        }

        for (var f = 0; f < features; f++)
        {
            destination[f] = _counts[f];
            WriteLimbs(_sums[f], destination.Slice(features + (f * SumLimbs), SumLimbs), f, "sum");
            WriteLimbs(_squares[f], destination.Slice(features * (1 + SumLimbs) + (f * SquareLimbs), SquareLimbs), f, "sum of squares");
        }
    }

    /// <summary>
    /// Reads a limb encoding, typically the decoded secure sum of every site's <see cref="WriteTo"/>:
    /// each coordinate must be a whole number (limb sums exceed <see cref="LimbBound"/>; that is
    /// how they carry).
    /// </summary>
    /// <exception cref="ArgumentException">The length does not fit <paramref name="features"/>, a coordinate is not a whole number, a count is negative, or the sums are inconsistent (a sum of squares below what the sum implies); the message names the feature.</exception>
    public static FeatureSums ReadFrom(ReadOnlySpan<double> source, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(features);
        if (source.Length != VectorLength(features))
        {
            throw new ArgumentException($"The limb encoding of {features} features has {VectorLength(features)} values, not {source.Length}.", nameof(source));
        }

        var index = Array.FindIndex(source.ToArray(), v => !double.IsFinite(v) || Math.Abs(v) > (1L << 52) || v != Math.Round(v));
        if (index >= 0)
        {
            throw new ArgumentException($"Statistics coordinate {index} is {source[index]}, not a whole number: it is not a sum of limb encodings.", nameof(source));
        }

        var counts = new long[features];
        var sums = new BigInteger[features];
        var squares = new BigInteger[features];
        for (var f = 0; f < features; f++)
        {
            counts[f] = (long)source[f];
            sums[f] = ReadLimbs(source.Slice(features + (f * SumLimbs), SumLimbs));
            squares[f] = ReadLimbs(source.Slice(features * (1 + SumLimbs) + (f * SquareLimbs), SquareLimbs));
            if (counts[f] < 0 || (counts[f] * squares[f]) < sums[f] * sums[f] || (counts[f] == 0 && !(sums[f].IsZero && squares[f].IsZero)))
            {
                throw new ArgumentException($"Feature {f}: count {counts[f]}, sum and sum of squares are inconsistent (no set of values has them).", nameof(source));
            }
        }

        return new FeatureSums(counts, sums, squares);
    }

    /// <summary>
    /// Pools the sites' sums the way the services do, by adding their limb encodings coordinate by
    /// coordinate (what a secure sum reveals) and decoding, then derives the statistics.
    /// </summary>
    /// <exception cref="ArgumentException">No sites, or sites with different feature counts.</exception>
    public static FeatureStatistics Pool(IEnumerable<FeatureSums> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var all = sites.ToArray();
        if (all.Length == 0 || all.Any(s => s.FeatureCount != all[0].FeatureCount))
        {
            throw new ArgumentException("Pooling needs at least one site, and every site's sums over the same features.", nameof(sites));
        }

        var total = new double[VectorLength(all[0].FeatureCount)];
        var vector = new float[total.Length];
        foreach (var site in all)
        {
            site.WriteTo(vector);
            for (var i = 0; i < total.Length; i++)
            {
                total[i] += vector[i];
            }
        }

        return ReadFrom(total, all[0].FeatureCount).ToStatistics();
    }

    /// <summary>
    /// The statistics standardisation uses: counts, sums and centred sums of squares
    /// sum (x - mean)^2 = (n S2 - S1^2) / n, computed in integers and rounded to double once.
    /// </summary>
    public FeatureStatistics ToStatistics()
    {
        var features = FeatureCount;
        var counts = new double[features];
        var sums = new double[features];
        var centred = new double[features];
        for (var f = 0; f < features; f++)
        {
            counts[f] = _counts[f];
            sums[f] = ToDouble(_sums[f], BigInteger.One, FractionBits);
            centred[f] = _counts[f] == 0 ? 0 : ToDouble((_counts[f] * _squares[f]) - (_sums[f] * _sums[f]), _counts[f], 2 * FractionBits);
        }

        return new FeatureStatistics(counts, sums, centred);
    }

    private static void WriteLimbs(BigInteger value, Span<float> limbs, int feature, string what)
    {
        var sign = value.Sign;
        var magnitude = BigInteger.Abs(value);
        if (magnitude.GetBitLength() > (long)limbs.Length * LimbBits)
        {
            throw new OverflowException($"Feature {feature}: the {what} needs more than {limbs.Length} limbs of {LimbBits} bits.");
        }

        for (var i = 0; i < limbs.Length; i++)
        {
            limbs[i] = sign * (int)(uint)(magnitude & LimbBound);
            magnitude >>= LimbBits;
        }
    }

    private static BigInteger ReadLimbs(ReadOnlySpan<double> limbs)
    {
        var value = BigInteger.Zero;
        for (var i = limbs.Length - 1; i >= 0; i--)
        {
            value = (value << LimbBits) + new BigInteger((long)limbs[i]);
        }

        return value;
    }

    /// <summary>numerator / denominator / 2^exponent, rounded once to double (a quotient of at least 64 bits converts with one rounding).</summary>
    private static double ToDouble(BigInteger numerator, BigInteger denominator, int exponent)
    {
        if (numerator.IsZero)
        {
            return 0;
        }

        var sign = numerator.Sign;
        var magnitude = BigInteger.Abs(numerator);
        var shift = (int)Math.Max(0, 66 + denominator.GetBitLength() - magnitude.GetBitLength());
        var quotient = (magnitude << shift) / denominator;
        return sign * Math.ScaleB((double)quotient, -(shift + exponent));
    }
}
