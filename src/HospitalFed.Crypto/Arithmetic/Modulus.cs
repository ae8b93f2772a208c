using System.Runtime.CompilerServices;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// A word-sized prime modulus q &lt; 2^61 with its Barrett constant floor(2^128 / q), so products
/// reduce without a hardware division (whose latency can depend on the operands). Every method is
/// branch-free in its operands: they may be secret key coefficients.
/// </summary>
internal readonly struct Modulus
{
    /// <summary>The largest modulus supported: 4q must fit a word for Harvey's lazy butterflies.</summary>
    public const int MaxBits = 61;

    private readonly ulong _ratioHi;
    private readonly ulong _ratioLo;

    public Modulus(ulong value)
    {
        if (value < 3 || value >> MaxBits != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"moduli must lie in [3, 2^{MaxBits}); got a {64 - ulong.LeadingZeroCount(value)}-bit value");
        }

        Value = value;
        BitCount = 64 - (int)ulong.LeadingZeroCount(value);
        // q is odd and not a power of two, so floor((2^128 - 1) / q) = floor(2^128 / q).
        var ratio = UInt128.MaxValue / value;
        _ratioHi = (ulong)(ratio >> 64);
        _ratioLo = (ulong)ratio;
    }

    /// <summary>q.</summary>
    public ulong Value { get; }

    /// <summary>ceil(log2(q + 1)): the bits one residue takes on the wire.</summary>
    public int BitCount { get; }

    /// <summary>x mod q for any 128-bit x (Barrett, HAC 14.42; one conditional subtraction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Reduce(ulong hi, ulong lo)
    {
        // floor(x * ratio / 2^128), dropping only the lowest partial product: the estimate is
        // at most one below the true quotient, so the remainder lies in [0, 2q).
        var carry = System.Math.BigMul(lo, _ratioLo, out _);
        var midHi = System.Math.BigMul(lo, _ratioHi, out var midLo);
        var sum1 = midLo + carry;
        var tmp3 = midHi + (sum1 < carry ? 1UL : 0UL);
        var mid2Hi = System.Math.BigMul(hi, _ratioLo, out var mid2Lo);
        var sum2 = sum1 + mid2Lo;
        var carry2 = sum2 < sum1 ? 1UL : 0UL;
        var quotient = (hi * _ratioHi) + mid2Hi + tmp3 + carry2;
        return SubtractIfAtLeast(lo - (quotient * Value), Value);
    }

    /// <summary>x mod q for a word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Reduce(ulong x)
    {
        // One-word Barrett (HAC 14.42 with k = 1): the high word of the 128-bit ratio is
        // floor(2^64 / q), and floor(x floor(2^64 / q) / 2^64) is at most two below floor(x / q),
        // so the remainder lies in [0, 3q), below 2^63 for q below 2^61: two conditional subtractions.
        var quotient = System.Math.BigMul(x, _ratioHi, out _);
        var r = x - (quotient * Value);
        return SubtractIfAtLeast(SubtractIfAtLeast(r, Value << 1), Value);
    }

    /// <summary>a * b mod q for any words a, b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Multiply(ulong a, ulong b)
    {
        var hi = System.Math.BigMul(a, b, out var lo);
        return Reduce(hi, lo);
    }

    /// <summary>(a + b) mod q for a, b in [0, q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Add(ulong a, ulong b) => SubtractIfAtLeast(a + b, Value);

    /// <summary>(a - b) mod q for a, b in [0, q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Subtract(ulong a, ulong b) => SubtractIfAtLeast(a + Value - b, Value);

    /// <summary>-a mod q for a in [0, q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Negate(ulong a) => SubtractIfAtLeast(Value - a, Value);

    /// <summary>A signed integer of magnitude below 2^63 reduced into [0, q), without branches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong FromSigned(long x)
    {
        var sign = (ulong)(x >> 63);                  // all ones when negative
        var magnitude = ((ulong)x ^ sign) - sign;     // |x|
        var r = Reduce(magnitude);
        var negated = SubtractIfAtLeast(Value - r, Value);
        return (r & ~sign) | (negated & sign);
    }

    /// <summary>Shoup's precomputed quotient floor(w * 2^64 / q) for a fixed multiplicand w &lt; q.</summary>
    public ulong ShoupFactor(ulong w) => (ulong)(((UInt128)w << 64) / Value);

    /// <summary>x * w mod q in [0, 2q) given w's Shoup factor (Harvey 2014, Alg. 2); x any word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MultiplyShoupLazy(ulong x, ulong w, ulong wShoup, ulong q)
    {
        var quotient = System.Math.BigMul(x, wShoup, out _);
        return (x * w) - (quotient * q);
    }

    /// <summary>x * w mod q in [0, q) given w's Shoup factor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MultiplyShoup(ulong x, ulong w, ulong wShoup, ulong q) =>
        SubtractIfAtLeast(MultiplyShoupLazy(x, w, wShoup, q), q);

    /// <summary>x - q when x &gt;= q, else x; valid for x &lt; 2q &lt; 2^63. Branch-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubtractIfAtLeast(ulong x, ulong q)
    {
        var t = x - q;
        return t + (q & (ulong)((long)t >> 63));
    }

    /// <summary>base^exponent mod q (square and multiply; exponents are public).</summary>
    public ulong Pow(ulong @base, ulong exponent)
    {
        ulong result = 1;
        var b = Reduce(@base);
        while (exponent != 0)
        {
            if ((exponent & 1) != 0)
            {
                result = Multiply(result, b);
            }

            b = Multiply(b, b);
            exponent >>= 1;
        }

        return result;
    }

    /// <summary>a^-1 mod q for prime q and a not divisible by q (Fermat).</summary>
    public ulong Inverse(ulong a)
    {
        var r = Reduce(a);
        if (r == 0)
        {
            throw new ArgumentException("zero has no inverse modulo a prime", nameof(a));
        }

        return Pow(r, Value - 2);
    }
}
