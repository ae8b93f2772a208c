using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// <see cref="Modulus"/>'s word operations on four 64-bit lanes with AVX2 only, each lane computing
/// exactly what the scalar method computes, so results are bit-identical. AVX2 has neither a 64-bit
/// low multiply nor an unsigned 64-bit compare: both are built from VPMULUDQ and VPCMPGTQ.
/// Branch-free in the data. Callers check <see cref="SimdSupport"/> first.
/// </summary>
internal static class ModularVector256
{
    /// <summary>The high word of the lane products a * b from four VPMULUDQ (see <see cref="ModularVector512.MultiplyHigh"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> MultiplyHigh(
        Vector256<ulong> a, Vector256<ulong> aHigh, Vector256<ulong> b, Vector256<ulong> bHigh)
    {
        var lowLow = Avx2.Multiply(a.AsUInt32(), b.AsUInt32());
        var lowHigh = Avx2.Multiply(a.AsUInt32(), bHigh.AsUInt32());
        var highLow = Avx2.Multiply(aHigh.AsUInt32(), b.AsUInt32());
        var highHigh = Avx2.Multiply(aHigh.AsUInt32(), bHigh.AsUInt32());
        var cross = lowHigh + Vector256.ShiftRightLogical(lowLow, 32);
        var middle = highLow + (cross & Vector256.Create(0xFFFF_FFFFUL));
        return highHigh + Vector256.ShiftRightLogical(cross, 32) + Vector256.ShiftRightLogical(middle, 32);
    }

    /// <summary>The low word of the lane products a * b from three VPMULUDQ (the high-by-high term falls off).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> MultiplyLow(
        Vector256<ulong> a, Vector256<ulong> aHigh, Vector256<ulong> b, Vector256<ulong> bHigh)
    {
        var lowLow = Avx2.Multiply(a.AsUInt32(), b.AsUInt32());
        var cross = Avx2.Multiply(a.AsUInt32(), bHigh.AsUInt32()) + Avx2.Multiply(aHigh.AsUInt32(), b.AsUInt32());
        return lowLow + Vector256.ShiftLeft(cross, 32);
    }

    /// <summary>x * w mod q in [0, 2q) per lane (<see cref="Modulus.MultiplyShoupLazy"/>); the *High arguments are the operands &gt;&gt; 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> MultiplyShoupLazy(
        Vector256<ulong> x,
        Vector256<ulong> w,
        Vector256<ulong> wHigh,
        Vector256<ulong> wShoup,
        Vector256<ulong> wShoupHigh,
        Vector256<ulong> q,
        Vector256<ulong> qHigh)
    {
        var xHigh = Vector256.ShiftRightLogical(x, 32);
        var quotient = MultiplyHigh(x, xHigh, wShoup, wShoupHigh);
        var quotientHigh = Vector256.ShiftRightLogical(quotient, 32);
        return MultiplyLow(x, xHigh, w, wHigh) - MultiplyLow(quotient, quotientHigh, q, qHigh);
    }

    /// <summary>
    /// x - q when x &gt;= q, else x (<see cref="Modulus.SubtractIfAtLeast"/>) for x, q &lt; 2^63, where
    /// the signed compare VPCMPGTQ is exact (the NTT keeps values below 4q &lt; 2^63).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> SubtractIfAtLeast(Vector256<ulong> x, Vector256<ulong> q)
    {
        var below = Avx2.CompareGreaterThan(q.AsInt64(), x.AsInt64()).AsUInt64();
        return x - Vector256.AndNot(q, below);
    }
}
