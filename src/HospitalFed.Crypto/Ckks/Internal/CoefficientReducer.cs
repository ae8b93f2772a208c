using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// Rounded CKKS coefficients (integral doubles, |x| &lt; 2^magnitudeBits) plus small integer noise,
/// reduced modulo one prime q &lt; 2^61 without branches, tables indexed by values, or 128-bit
/// arithmetic. x is split exactly into balanced base-2^52 digits with floating-point rounding
/// (x - round(x / 2^52k) 2^52k is representable, so every step is exact), and each digit d times
/// c_k = 2^52k mod q is reduced with a floating-point quotient estimate floor(d * (c_k / q)):
/// for |d| &lt;= 2^53 / 3 the estimate is off by less than one, so d c_k - quotient q, computed
/// modulo 2^64, lies in (-q, 2q) and two masked corrections finish it (the "FP quotient" trick of
/// NFLlib and of Shoup's NTL MulMod). The same steps run on 1, 4 or 8 lanes with identical results.
/// </summary>
internal sealed class CoefficientReducer
{
    private const int DigitBits = 52;
    private const long LowDigitMask = (1L << DigitBits) - 1;
    private readonly long _q;
    // per digit k: c_k = 2^(52k) mod q and c_k / q rounded once (from floor(c_k 2^64 / q) / 2^64)
    private readonly long[] _digitResidues;
    private readonly double[] _digitRatios;

    /// <summary>Prepares the reduction modulo <paramref name="modulus"/> of values below 2^<paramref name="magnitudeBits"/>.</summary>
    public CoefficientReducer(Modulus modulus, double magnitudeBits)
    {
        _q = (long)modulus.Value;
        // top digit at most 2^51 (plus the noise's high part on digit 1): 52 (D - 1) + 51 >= magnitudeBits
        var digits = System.Math.Max(2, 1 + (int)System.Math.Ceiling((magnitudeBits - 51) / DigitBits));
        _digitResidues = new long[digits];
        _digitRatios = new double[digits];
        ulong power = 1;
        for (var k = 0; k < digits; k++)
        {
            _digitResidues[k] = (long)power;
            _digitRatios[k] = (double)(((UInt128)power << 64) / modulus.Value) * System.Math.Pow(2, -64);
            power = modulus.Multiply(power, 1UL << DigitBits);
        }
    }

    /// <summary>Digits per coefficient (2 for |x| &lt; 2^103).</summary>
    public int DigitCount => _digitResidues.Length;

    /// <summary>
    /// destination[j] = (coefficients[j] + noise[j]) mod q for j &lt; destination.Length; an empty
    /// <paramref name="noise"/> adds nothing. Coefficients must be integral and below the magnitude
    /// given at construction (the encoder checks the largest first).
    /// </summary>
    public void Reduce(ReadOnlySpan<double> coefficients, ReadOnlySpan<long> noise, Span<ulong> destination, SimdWidth width)
    {
        var n = destination.Length;
        if (coefficients.Length < n || (!noise.IsEmpty && noise.Length < n))
        {
            throw new ArgumentException($"expected {n} coefficients and noise terms, got {coefficients.Length} and {noise.Length}");
        }

        ref var x = ref MemoryMarshal.GetReference(coefficients);
        ref var e = ref MemoryMarshal.GetReference(noise);
        ref var r = ref Unsafe.As<ulong, long>(ref MemoryMarshal.GetReference(destination));
        var hasNoise = !noise.IsEmpty;
        var j = 0;
        if (width == SimdWidth.Vector512 && SimdSupport.IsSupported(width))
        {
            for (; j + Vector512<double>.Count <= n; j += Vector512<double>.Count)
            {
                var noiseTerm = hasNoise ? Vector512.LoadUnsafe(ref e, (nuint)j) : Vector512<long>.Zero;
                Reduce512(Vector512.LoadUnsafe(ref x, (nuint)j), noiseTerm).StoreUnsafe(ref r, (nuint)j);
            }
        }
        else if (width >= SimdWidth.Vector256 && SimdSupport.IsSupported(SimdWidth.Vector256))
        {
            for (; j + Vector256<double>.Count <= n; j += Vector256<double>.Count)
            {
                var noiseTerm = hasNoise ? Vector256.LoadUnsafe(ref e, (nuint)j) : Vector256<long>.Zero;
                Reduce256(Vector256.LoadUnsafe(ref x, (nuint)j), noiseTerm).StoreUnsafe(ref r, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            Unsafe.Add(ref r, j) = ReduceScalar(Unsafe.Add(ref x, j), hasNoise ? Unsafe.Add(ref e, j) : 0);
        }
    }

    private long ReduceScalar(double x, long noise)
    {
        var acc = 0L;
        for (var k = _digitResidues.Length - 1; k >= 1; k--)
        {
            var weight = System.Math.ScaleB(1.0, DigitBits * k);
            var d = System.Math.Round(x * System.Math.ScaleB(1.0, -DigitBits * k));
            x -= d * weight;
            if (k == 1)
            {
                d += noise >> DigitBits;
            }

            acc = AddMod(acc, MulMod(d, _digitResidues[k], _digitRatios[k]));
        }

        return AddMod(acc, MulMod(x + (noise & LowDigitMask), _digitResidues[0], _digitRatios[0]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long MulMod(double d, long c, double ratio)
    {
        var quotient = System.Math.Floor(d * ratio);
        var t = ((long)d * c) - ((long)quotient * _q);
        t += _q & (t >> 63);
        t -= _q;
        return t + (_q & (t >> 63));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long AddMod(long a, long b)
    {
        var t = a + b - _q;
        return t + (_q & (t >> 63));
    }

    private Vector512<long> Reduce512(Vector512<double> x, Vector512<long> noise)
    {
        var q = Vector512.Create(_q);
        var acc = Vector512<long>.Zero;
        for (var k = _digitResidues.Length - 1; k >= 1; k--)
        {
            var weight = System.Math.ScaleB(1.0, DigitBits * k);
            var d = Vector512.Round(x * System.Math.ScaleB(1.0, -DigitBits * k));
            x -= d * weight;
            if (k == 1)
            {
                d += Vector512.ConvertToDouble(Vector512.ShiftRightArithmetic(noise, DigitBits));
            }

            var quotient = Vector512.Floor(d * _digitRatios[k]);
            var t = (Vector512.ConvertToInt64Native(d) * _digitResidues[k]) - (Vector512.ConvertToInt64Native(quotient) * q);
            acc = AddMod512(acc, Correct512(t, q), q);
        }

        var d0 = x + Vector512.ConvertToDouble(noise & Vector512.Create(LowDigitMask));
        var q0 = Vector512.Floor(d0 * _digitRatios[0]);
        var t0 = (Vector512.ConvertToInt64Native(d0) * _digitResidues[0]) - (Vector512.ConvertToInt64Native(q0) * q);
        return AddMod512(acc, Correct512(t0, q), q);
    }

    // t in (-q, 2q) to [0, q)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> Correct512(Vector512<long> t, Vector512<long> q)
    {
        t += q & Vector512.ShiftRightArithmetic(t, 63);
        t -= q;
        return t + (q & Vector512.ShiftRightArithmetic(t, 63));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> AddMod512(Vector512<long> a, Vector512<long> b, Vector512<long> q)
    {
        var t = a + b - q;
        return t + (q & Vector512.ShiftRightArithmetic(t, 63));
    }

    private Vector256<long> Reduce256(Vector256<double> x, Vector256<long> noise)
    {
        var q = Vector256.Create(_q);
        var acc = Vector256<long>.Zero;
        for (var k = _digitResidues.Length - 1; k >= 1; k--)
        {
            var weight = System.Math.ScaleB(1.0, DigitBits * k);
            var d = Vector256.Round(x * System.Math.ScaleB(1.0, -DigitBits * k));
            x -= d * weight;
            if (k == 1)
            {
                d += Vector256.ConvertToDouble(Vector256.ShiftRightArithmetic(noise, DigitBits));
            }

            var quotient = Vector256.Floor(d * _digitRatios[k]);
            var t = (Vector256.ConvertToInt64Native(d) * _digitResidues[k]) - (Vector256.ConvertToInt64Native(quotient) * q);
            acc = AddMod256(acc, Correct256(t, q), q);
        }

        var d0 = x + Vector256.ConvertToDouble(noise & Vector256.Create(LowDigitMask));
        var q0 = Vector256.Floor(d0 * _digitRatios[0]);
        var t0 = (Vector256.ConvertToInt64Native(d0) * _digitResidues[0]) - (Vector256.ConvertToInt64Native(q0) * q);
        return AddMod256(acc, Correct256(t0, q), q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Correct256(Vector256<long> t, Vector256<long> q)
    {
        t += q & Vector256.ShiftRightArithmetic(t, 63);
        t -= q;
        return t + (q & Vector256.ShiftRightArithmetic(t, 63));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> AddMod256(Vector256<long> a, Vector256<long> b, Vector256<long> q)
    {
        var t = a + b - q;
        return t + (q & Vector256.ShiftRightArithmetic(t, 63));
    }
}
