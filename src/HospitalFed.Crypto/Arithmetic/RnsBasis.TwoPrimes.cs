using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// Garner for two primes below 2^51 (every CKKS preset) on eight lanes: the same digits and the
/// same final double expression as the general loop, so the results are bit-identical. Residues
/// below 2^51 are exact doubles, so a modular product by a constant uses a floating-point quotient
/// estimate floor(a * (c / q)), off by less than one, and two masked corrections (no 64-bit
/// high multiply is needed, which AVX-512 lacks).
/// </summary>
internal sealed partial class RnsBasis
{
    private const int FastPathBits = 51;

    private bool ComposeTwoPrimes(ReadOnlySpan<ulong> residues, int ringDegree, Span<double> destination)
    {
        var q0 = _moduli[0].Value;
        var q1 = _moduli[1].Value;
        if (!Vector512.IsHardwareAccelerated || (q0 | q1) >> FastPathBits != 0 || ringDegree % Vector512<long>.Count != 0)
        {
            return false;
        }

        ref var r0 = ref Unsafe.As<ulong, long>(ref MemoryMarshal.GetReference(residues));
        ref var r1 = ref Unsafe.Add(ref r0, ringDegree);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var vq0 = Vector512.Create((long)q0);
        var vq1 = Vector512.Create((long)q1);
        var halfQ0 = Vector512.Create((long)(q0 >> 1));
        var halfQ1 = Vector512.Create((long)(q1 >> 1));
        var inverse = (long)_prefixInverse[1];
        var inverseRatio = Ratio(_prefixInverse[1], q1);
        var oneRatio = Ratio(1, q1);
        var radix = _prefixProduct[1];
        for (nuint j = 0; j < (nuint)ringDegree; j += (nuint)Vector512<long>.Count)
        {
            var x0 = Vector512.LoadUnsafe(ref r0, j);
            var x1 = Vector512.LoadUnsafe(ref r1, j);
            var digit0 = x0 - (vq0 & Vector512.ShiftRightArithmetic(halfQ0 - x0, 63));
            var digit0Double = Vector512.ConvertToDouble(digit0);
            // (x1 - digit0 mod q1) * (q0^-1 mod q1) mod q1, centred
            var lower = MultiplyConstant(digit0Double, 1, oneRatio, vq1);
            var difference = x1 - lower;
            difference += vq1 & Vector512.ShiftRightArithmetic(difference, 63);
            var digit1 = MultiplyConstant(Vector512.ConvertToDouble(difference), inverse, inverseRatio, vq1);
            digit1 -= vq1 & Vector512.ShiftRightArithmetic(halfQ1 - digit1, 63);
            ((Vector512.ConvertToDouble(digit1) * radix) + digit0Double).StoreUnsafe(ref d, j);
        }

        return true;
    }

    // c / q rounded once: floor(c 2^64 / q) is exact, then one rounding to double
    private static double Ratio(ulong c, ulong q) => (double)(((UInt128)c << 64) / q) * System.Math.Pow(2, -64);

    // a * c mod q in [0, q) for integral |a| < 2^51 and c < q < 2^51: a c / q < 2^51, so the
    // estimate (two roundings, relative error about 2^-52) is off by less than one, so a c - quotient q (exact modulo 2^64) lies in (-q, 2q).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> MultiplyConstant(Vector512<double> a, long c, double ratio, Vector512<long> q)
    {
        var quotient = Vector512.Floor(a * ratio);
        var t = (Vector512.ConvertToInt64Native(a) * c) - (Vector512.ConvertToInt64Native(quotient) * q);
        t += q & Vector512.ShiftRightArithmetic(t, 63);
        t -= q;
        return t + (q & Vector512.ShiftRightArithmetic(t, 63));
    }
}
