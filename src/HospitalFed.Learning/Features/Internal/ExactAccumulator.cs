using System.Numerics;

namespace HospitalFed.Learning.Features.Internal;

/// <summary>
/// Exact sum and sum of squares of float32 values (a superaccumulator): every finite float32 is
/// m 2^j in units of 2^-149 with an integer mantissa |m| &lt; 2^24 and 0 &lt;= j &lt;= 253, so the
/// accumulator adds m into bucket j (and m^2 into bucket j of the squares) and shifts the buckets
/// together only once, in <see cref="Sum"/> and <see cref="SumOfSquares"/>. No value is rounded.
/// </summary>
internal sealed class ExactAccumulator
{
    /// <summary>Buckets: biased exponents 1..254 map to j = 0..253, subnormals share j = 0.</summary>
    private const int Buckets = 254;

    private readonly long[] _sums = new long[Buckets];      // |m| < 2^24: no overflow before 2^39 values
    private readonly Int128[] _squares = new Int128[Buckets]; // m^2 < 2^48: no overflow before 2^79 values

    /// <summary>Number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds a finite value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is infinite or NaN.</exception>
    public void Add(float value)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "only finite values have an exact sum");
        }

        var bits = BitConverter.SingleToInt32Bits(value);
        var exponent = (bits >> 23) & 0xFF;
        long mantissa = exponent == 0 ? bits & 0x7FFFFF : (bits & 0x7FFFFF) | 0x800000;
        var bucket = Math.Max(exponent, 1) - 1;
        _sums[bucket] += bits < 0 ? -mantissa : mantissa;
        _squares[bucket] += mantissa * mantissa;
        Count++;
    }

    /// <summary>The exact sum in units of 2^-149.</summary>
    public BigInteger Sum()
    {
        var total = BigInteger.Zero;
        for (var j = 0; j < Buckets; j++)
        {
            if (_sums[j] != 0)
            {
                total += new BigInteger(_sums[j]) << j;
            }
        }

        return total;
    }

    /// <summary>The exact sum of squares in units of 2^-298.</summary>
    public BigInteger SumOfSquares()
    {
        var total = BigInteger.Zero;
        for (var j = 0; j < Buckets; j++)
        {
            if (_squares[j] != Int128.Zero)
            {
                total += (BigInteger)_squares[j] << (2 * j);
            }
        }

        return total;
    }
}
