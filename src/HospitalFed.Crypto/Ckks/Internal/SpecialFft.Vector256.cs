using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>The 4-lane (AVX2) butterflies: same expressions as the scalar code, four at a time.</summary>
internal sealed partial class SpecialFft
{
    private void ForwardVector256(Span<double> re, Span<double> im)
    {
        const int lanes = 4;
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        var laneIndex = Vector256.Create(0L, 1, 2, 3);
        var half = 1;
        for (var stage = 0; half < lanes; half <<= 1, stage++)
        {
            // Each vector holds whole blocks of 2 * half: lane l pairs with lane l ^ half, and the
            // upper operand b sits where (l & half) != 0 (isLower marks a). t = w * b is formed on b's lanes (w is 0
            // elsewhere), then both a + t and a - t are taken after swapping partners.
            var swap = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) ^ Vector256.Create(2 * half);
            var isLower = Vector256.Equals(laneIndex & Vector256.Create((long)half), Vector256<long>.Zero).AsDouble();
            var wr = Vector256.Create<double>(_smallForwardRe.AsSpan(stage * PatternLanes, lanes));
            var wi = Vector256.Create<double>(_smallForwardIm.AsSpan(stage * PatternLanes, lanes));
            for (nuint i = 0; i < (nuint)_slots; i += lanes)
            {
                var xr = Vector256.LoadUnsafe(ref r, i);
                var xi = Vector256.LoadUnsafe(ref m, i);
                var tr = (xr * wr) - (xi * wi);
                var ti = (xr * wi) + (xi * wr);
                var sum = Vector256.ConditionalSelect(isLower, xr + Swap(tr, swap), Swap(xr, swap) - tr);
                var sumI = Vector256.ConditionalSelect(isLower, xi + Swap(ti, swap), Swap(xi, swap) - ti);
                sum.StoreUnsafe(ref r, i);
                sumI.StoreUnsafe(ref m, i);
            }
        }

        for (; half < _slots; half <<= 1)
        {
            ref var wr0 = ref MemoryMarshal.GetArrayDataReference(_forwardRe);
            ref var wi0 = ref MemoryMarshal.GetArrayDataReference(_forwardIm);
            for (var i = 0; i < _slots; i += 2 * half)
            {
                for (var j = 0; j < half; j += lanes)
                {
                    var a = (nuint)(i + j);
                    var b = a + (nuint)half;
                    var w = (nuint)(half - 1 + j);
                    var wr = Vector256.LoadUnsafe(ref wr0, w);
                    var wi = Vector256.LoadUnsafe(ref wi0, w);
                    var br = Vector256.LoadUnsafe(ref r, b);
                    var bi = Vector256.LoadUnsafe(ref m, b);
                    var vr = (br * wr) - (bi * wi);
                    var vi = (br * wi) + (bi * wr);
                    var ur = Vector256.LoadUnsafe(ref r, a);
                    var ui = Vector256.LoadUnsafe(ref m, a);
                    (ur + vr).StoreUnsafe(ref r, a);
                    (ui + vi).StoreUnsafe(ref m, a);
                    (ur - vr).StoreUnsafe(ref r, b);
                    (ui - vi).StoreUnsafe(ref m, b);
                }
            }
        }
    }

    private void InverseVector256(Span<double> re, Span<double> im)
    {
        const int lanes = 4;
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        var half = _slots >> 1;
        for (; half >= lanes; half >>= 1)
        {
            ref var wr0 = ref MemoryMarshal.GetArrayDataReference(_inverseRe);
            ref var wi0 = ref MemoryMarshal.GetArrayDataReference(_inverseIm);
            for (var i = 0; i < _slots; i += 2 * half)
            {
                for (var j = 0; j < half; j += lanes)
                {
                    var a = (nuint)(i + j);
                    var b = a + (nuint)half;
                    var w = (nuint)(half - 1 + j);
                    var ar = Vector256.LoadUnsafe(ref r, a);
                    var ai = Vector256.LoadUnsafe(ref m, a);
                    var br = Vector256.LoadUnsafe(ref r, b);
                    var bi = Vector256.LoadUnsafe(ref m, b);
                    var dr = ar - br;
                    var di = ai - bi;
                    var wr = Vector256.LoadUnsafe(ref wr0, w);
                    var wi = Vector256.LoadUnsafe(ref wi0, w);
                    (ar + br).StoreUnsafe(ref r, a);
                    (ai + bi).StoreUnsafe(ref m, a);
                    ((dr * wr) - (di * wi)).StoreUnsafe(ref r, b);
                    ((dr * wi) + (di * wr)).StoreUnsafe(ref m, b);
                }
            }
        }

        var laneIndex = Vector256.Create(0L, 1, 2, 3);
        for (; half >= 1; half >>= 1)
        {
            // a + b on a's lanes, (a - b) * w on b's lanes, after swapping partners (see Forward).
            var stage = System.Numerics.BitOperations.Log2((uint)half);
            var swap = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) ^ Vector256.Create(2 * half);
            var isLower = Vector256.Equals(laneIndex & Vector256.Create((long)half), Vector256<long>.Zero).AsDouble();
            var wr = Vector256.Create<double>(_smallInverseRe.AsSpan(stage * PatternLanes, lanes));
            var wi = Vector256.Create<double>(_smallInverseIm.AsSpan(stage * PatternLanes, lanes));
            for (nuint i = 0; i < (nuint)_slots; i += lanes)
            {
                var xr = Vector256.LoadUnsafe(ref r, i);
                var xi = Vector256.LoadUnsafe(ref m, i);
                var pr = Swap(xr, swap);
                var pi = Swap(xi, swap);
                var dr = pr - xr;
                var di = pi - xi;
                Vector256.ConditionalSelect(isLower, xr + pr, (dr * wr) - (di * wi)).StoreUnsafe(ref r, i);
                Vector256.ConditionalSelect(isLower, xi + pi, (dr * wi) + (di * wr)).StoreUnsafe(ref m, i);
            }
        }
    }

    // AVX2 has no 64-bit variable permute (vpermpd takes an immediate): move each double as its
    // two 32-bit halves, control lane 2k + h naming source half 2 * (k ^ half) + h.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Swap(Vector256<double> x, Vector256<int> control) =>
        Avx2.PermuteVar8x32(x.AsSingle(), control).AsDouble();
}
