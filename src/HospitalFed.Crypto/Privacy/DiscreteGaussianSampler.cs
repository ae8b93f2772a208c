using System.Numerics;
using HospitalFed.Crypto.Ckks;
using HospitalFed.Crypto.Privacy.Internal;

namespace HospitalFed.Crypto.Privacy;

/// <summary>
/// Exact sampler of the discrete Gaussian N_Z(0, sigma^2), P[X = x] proportional to
/// exp(-x^2 / (2 sigma^2)) on the integers: Canonne, Kamath and Steinke, "The Discrete Gaussian
/// for Differential Privacy" (NeurIPS 2020), Algorithm 3 (discrete Laplace proposal with scale
/// t = floor(sigma) + 1, then rejection) over Algorithm 1 (Bernoulli(exp(-gamma)) by rejection).
/// </summary>
/// <remarks>
/// <para>
/// sigma^2 is a rational n / d and every step is integer arithmetic on it: no floating point
/// touches the output distribution, so the samples follow the discrete Gaussian exactly, given
/// uniform random bits. Checked <see cref="long"/> arithmetic is used when 2 n d t^2 &lt; 2^50,
/// checked <see cref="Int128"/> when it is below 2^100 (together these cover every variance of
/// practical interest written with a short decimal), <see cref="BigInteger"/> otherwise; a tail
/// candidate that would overflow the fixed width is finished in <see cref="BigInteger"/>.
/// </para>
/// <para>
/// Randomness comes from an <see cref="IRandomSource"/>, <see cref="CryptographicRandomSource.Shared"/>
/// by default; pass a seeded source only in tests and simulations. An instance buffers random
/// bytes, so it is not thread-safe: use one per thread. Dispose zeroes the buffer.
/// </para>
/// <para>
/// The running time is random (rejection sampling) and depends on the samples, which is harmless
/// for noise that is added before masking, since no party times another site's sampling.
/// </para>
/// </remarks>
public sealed class DiscreteGaussianSampler : IDisposable
{
    private static readonly BigInteger LongLimit = BigInteger.One << 50;
    private static readonly BigInteger Int128Limit = BigInteger.One << 100;

    private readonly UniformIntegers _uniform;
    private readonly ExactDiscreteGaussianCore<long>? _long;
    private readonly ExactDiscreteGaussianCore<Int128>? _int128;
    private readonly ExactDiscreteGaussianCore<BigInteger> _big;
    private bool _disposed;

    /// <summary>Creates a sampler of N_Z(0, <paramref name="numerator"/> / <paramref name="denominator"/>).</summary>
    /// <param name="numerator">n in sigma^2 = n / d; positive.</param>
    /// <param name="denominator">d in sigma^2 = n / d; positive.</param>
    /// <param name="random">Where random bytes come from; default <see cref="CryptographicRandomSource.Shared"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">n or d is not positive, or sigma^2 is 2^60 or more (samples would not fit in a long).</exception>
    public DiscreteGaussianSampler(BigInteger numerator, BigInteger denominator, IRandomSource? random = null)
    {
        if (numerator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), numerator, "the variance's numerator must be positive");
        }

        if (denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "the variance's denominator must be positive");
        }

        if (numerator / denominator >= BigInteger.One << 60)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), $"sigma^2 = {numerator}/{denominator} is 2^60 or more; samples would not fit in a long");
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        VarianceNumerator = numerator / gcd;
        VarianceDenominator = denominator / gcd;
        var t = IntegerSquareRoot(VarianceNumerator / VarianceDenominator) + 1;
        _uniform = new UniformIntegers(random ?? CryptographicRandomSource.Shared);
        _big = new ExactDiscreteGaussianCore<BigInteger>(_uniform, VarianceNumerator, VarianceDenominator, t);
        var acceptanceDenominator = 2 * VarianceNumerator * VarianceDenominator * t * t;
        if (acceptanceDenominator < LongLimit)
        {
            _long = new ExactDiscreteGaussianCore<long>(_uniform, (long)VarianceNumerator, (long)VarianceDenominator, (long)t, _big);
        }
        else if (acceptanceDenominator < Int128Limit)
        {
            _int128 = new ExactDiscreteGaussianCore<Int128>(_uniform, (Int128)VarianceNumerator, (Int128)VarianceDenominator, (Int128)t, _big);
        }
    }

    /// <summary>n in sigma^2 = n / d, in lowest terms.</summary>
    public BigInteger VarianceNumerator { get; }

    /// <summary>d in sigma^2 = n / d, in lowest terms.</summary>
    public BigInteger VarianceDenominator { get; }

    /// <summary>sigma^2 as a double (for reporting only; sampling never uses it).</summary>
    public double Variance => (double)VarianceNumerator / (double)VarianceDenominator;

    /// <summary>A sampler of N_Z(0, <paramref name="variance"/>), the double converted to a rational exactly (mantissa / 2^k).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The variance is not finite and positive, or is 2^60 or more.</exception>
    public static DiscreteGaussianSampler FromVariance(double variance, IRandomSource? random = null)
    {
        var (numerator, denominator) = ExactRational(variance);
        return new DiscreteGaussianSampler(numerator, denominator, random);
    }

    /// <summary>The exact value of a finite positive double as numerator / 2^k, in lowest terms.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite and positive.</exception>
    public static (BigInteger Numerator, BigInteger Denominator) ExactRational(double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "the variance must be finite and positive");
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
        {
            exponent = 1; // subnormal: no implicit leading one
        }
        else
        {
            mantissa |= 1L << 52;
        }

        var power = exponent - 1075; // value = mantissa * 2^power
        var numerator = new BigInteger(mantissa);
        var denominator = BigInteger.One;
        if (power >= 0)
        {
            numerator <<= power;
        }
        else
        {
            denominator <<= -power;
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        return (numerator / gcd, denominator / gcd);
    }

    /// <summary>One sample of N_Z(0, sigma^2).</summary>
    /// <exception cref="ObjectDisposedException">The sampler was disposed.</exception>
    public long Sample()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _long?.Sample() ?? (_int128 is { } wide ? (long)wide.Sample() : (long)_big.Sample());
    }

    /// <summary>Fills <paramref name="destination"/> with independent samples.</summary>
    /// <exception cref="OverflowException">A sample does not fit in an int (only for sigma of order 2^27 or more).</exception>
    public void Fill(Span<int> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = checked((int)Sample());
        }
    }

    /// <summary>
    /// Adds independent samples to <paramref name="destination"/> in the ring Z_2^32 (two's
    /// complement, wrapping), the way a noise share joins a quantised update before masking.
    /// </summary>
    public void AddTo(Span<uint> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = unchecked(destination[i] + (uint)Sample());
        }
    }

    /// <summary>
    /// One draw of Bernoulli(exp(-gamma)) for gamma = <paramref name="numerator"/> / <paramref name="denominator"/>
    /// (Canonne, Kamath and Steinke 2020, Algorithm 1; gamma &gt; 1 as a product of exp(-1) draws).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">gamma is negative or the denominator is not positive.</exception>
    public bool SampleBernoulliExp(BigInteger numerator, BigInteger denominator)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (numerator.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), numerator, "gamma must not be negative");
        }

        if (denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "gamma's denominator must be positive");
        }

        return _big.BernoulliExp(numerator, denominator);
    }

    /// <summary>Zeroes the buffered random bytes; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _uniform.Dispose();
        }
    }

    private static BigInteger IntegerSquareRoot(BigInteger value)
    {
        if (value.IsZero)
        {
            return BigInteger.Zero;
        }

        // Newton's iteration from above converges to floor(sqrt(value)).
        var x = BigInteger.One << (int)((value.GetBitLength() + 1) / 2);
        while (true)
        {
            var next = (x + (value / x)) >> 1;
            if (next >= x)
            {
                return x;
            }

            x = next;
        }
    }
}
