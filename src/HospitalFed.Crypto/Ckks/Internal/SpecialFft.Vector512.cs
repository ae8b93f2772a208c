using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>The 8-lane (AVX-512F) butterflies: same expressions as the scalar code, eight at a time.</summary>
internal sealed partial class SpecialFft
{
    private void ForwardVector512(Span<double> re, Span<double> im)
    {
        const int lanes = 8;
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        var laneIndex = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        var half = 1;
        for (var stage = 0; half < lanes; half <<= 1, stage++)
        {
            // Each vector holds whole blocks of 2 * half: lane l pairs with lane l ^ half, and the
            // upper operand b sits where (l & half) != 0 (isLower marks a). t = w * b is formed on b's lanes (w is 0
            // elsewhere), then both a + t and a - t are taken after swapping partners.
            var swap = laneIndex ^ Vector512.Create((long)half);
            var isLower = Vector512.Equals(laneIndex & Vector512.Create((long)half), Vector512<long>.Zero).AsDouble();
            var wr = Vector512.Create<double>(_smallForwardRe.AsSpan(stage * PatternLanes, lanes));
            var wi = Vector512.Create<double>(_smallForwardIm.AsSpan(stage * PatternLanes, lanes));
            for (nuint i = 0; i < (nuint)_slots; i += lanes)
            {
                var xr = Vector512.LoadUnsafe(ref r, i);
                var xi = Vector512.LoadUnsafe(ref m, i);
                var tr = (xr * wr) - (xi * wi);
                var ti = (xr * wi) + (xi * wr);
                var sum = Vector512.ConditionalSelect(isLower, xr + Avx512F.PermuteVar8x64(tr, swap), Avx512F.PermuteVar8x64(xr, swap) - tr);
                var sumI = Vector512.ConditionalSelect(isLower, xi + Avx512F.PermuteVar8x64(ti, swap), Avx512F.PermuteVar8x64(xi, swap) - ti);
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
                    var wr = Vector512.LoadUnsafe(ref wr0, w);
                    var wi = Vector512.LoadUnsafe(ref wi0, w);
                    var br = Vector512.LoadUnsafe(ref r, b);
                    var bi = Vector512.LoadUnsafe(ref m, b);
                    var vr = (br * wr) - (bi * wi);
                    var vi = (br * wi) + (bi * wr);
                    var ur = Vector512.LoadUnsafe(ref r, a);
                    var ui = Vector512.LoadUnsafe(ref m, a);
                    (ur + vr).StoreUnsafe(ref r, a);
                    (ui + vi).StoreUnsafe(ref m, a);
                    (ur - vr).StoreUnsafe(ref r, b);
                    (ui - vi).StoreUnsafe(ref m, b);
                }
            }
        }
    }

    private void InverseVector512(Span<double> re, Span<double> im)
    {
        const int lanes = 8;
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
                    var ar = Vector512.LoadUnsafe(ref r, a);
                    var ai = Vector512.LoadUnsafe(ref m, a);
                    var br = Vector512.LoadUnsafe(ref r, b);
                    var bi = Vector512.LoadUnsafe(ref m, b);
                    var dr = ar - br;
                    var di = ai - bi;
                    var wr = Vector512.LoadUnsafe(ref wr0, w);
                    var wi = Vector512.LoadUnsafe(ref wi0, w);
                    (ar + br).StoreUnsafe(ref r, a);
                    (ai + bi).StoreUnsafe(ref m, a);
                    ((dr * wr) - (di * wi)).StoreUnsafe(ref r, b);
                    ((dr * wi) + (di * wr)).StoreUnsafe(ref m, b);
                }
            }
        }

        var laneIndex = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        for (; half >= 1; half >>= 1)
        {
            // a + b on a's lanes, (a - b) * w on b's lanes, after swapping partners (see Forward).
            var stage = System.Numerics.BitOperations.Log2((uint)half);
            var swap = laneIndex ^ Vector512.Create((long)half);
            var isLower = Vector512.Equals(laneIndex & Vector512.Create((long)half), Vector512<long>.Zero).AsDouble();
            var wr = Vector512.Create<double>(_smallInverseRe.AsSpan(stage * PatternLanes, lanes));
            var wi = Vector512.Create<double>(_smallInverseIm.AsSpan(stage * PatternLanes, lanes));
            for (nuint i = 0; i < (nuint)_slots; i += lanes)
            {
                var xr = Vector512.LoadUnsafe(ref r, i);
                var xi = Vector512.LoadUnsafe(ref m, i);
                var pr = Avx512F.PermuteVar8x64(xr, swap);
                var pi = Avx512F.PermuteVar8x64(xi, swap);
                var dr = pr - xr;
                var di = pi - xi;
                Vector512.ConditionalSelect(isLower, xr + pr, (dr * wr) - (di * wi)).StoreUnsafe(ref r, i);
                Vector512.ConditionalSelect(isLower, xi + pi, (dr * wi) + (di * wr)).StoreUnsafe(ref m, i);
            }
        }
    }
}
