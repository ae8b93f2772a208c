using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// <see cref="Modulus"/>'s word operations on eight 64-bit lanes (AVX-512F/DQ), each lane computing
/// exactly what the scalar method computes, so results are bit-identical. Branch-free in the data.
/// Callers check <see cref="SimdSupport"/> first.
/// </summary>
internal static class ModularVector512
{
    /// <summary>
    /// The high word of the 128-bit lane products a * b. There is no 64x64 -> 128 vector multiply
    /// without IFMA, so it is built from four 32x32 -> 64 products (VPMULUDQ), as Intel HEXL's
    /// non-IFMA AVX-512 path does; <paramref name="bHigh"/> is b &gt;&gt; 32, passed in because b is
    /// usually a twiddle reused across many vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> MultiplyHigh(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> bHigh)
    {
        var aHigh = Vector512.ShiftRightLogical(a, 32);
        var lowLow = Avx512F.Multiply(a.AsUInt32(), b.AsUInt32());
        var lowHigh = Avx512F.Multiply(a.AsUInt32(), bHigh.AsUInt32());
        var highLow = Avx512F.Multiply(aHigh.AsUInt32(), b.AsUInt32());
        var highHigh = Avx512F.Multiply(aHigh.AsUInt32(), bHigh.AsUInt32());
        // Each partial product is at most (2^32 - 1)^2, so adding one 32-bit word cannot carry out.
        var cross = lowHigh + Vector512.ShiftRightLogical(lowLow, 32);
        var middle = highLow + (cross & Vector512.Create(0xFFFF_FFFFUL));
        return highHigh + Vector512.ShiftRightLogical(cross, 32) + Vector512.ShiftRightLogical(middle, 32);
    }

    /// <summary>x * w mod q in [0, 2q) per lane (<see cref="Modulus.MultiplyShoupLazy"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> MultiplyShoupLazy(
        Vector512<ulong> x, Vector512<ulong> w, Vector512<ulong> wShoup, Vector512<ulong> wShoupHigh, Vector512<ulong> q)
    {
        var quotient = MultiplyHigh(x, wShoup, wShoupHigh);
        return Avx512DQ.MultiplyLow(x, w) - Avx512DQ.MultiplyLow(quotient, q);
    }

    /// <summary>
    /// x - q when x &gt;= q, else x (<see cref="Modulus.SubtractIfAtLeast"/>): the unsigned minimum of
    /// x and x - q, since x - q wraps above x exactly when x &lt; q. One VPMINUQ, no mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> SubtractIfAtLeast(Vector512<ulong> x, Vector512<ulong> q) =>
        Vector512.Min(x, x - q);
}
