using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static HospitalFed.Crypto.Arithmetic.ModularVector512;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// Compress and Decompress on eight coefficients at a time (AVX-512F/DQ): the scalar algorithm
/// lane by lane, 128-bit quantities as a high and a low vector with explicit carries, so results
/// are bit-identical to the scalar code. Used when every Q/q_i fits a word (T's terms are one
/// 64x64 product) and no low part needs reducing, which holds for the presets' two-prime moduli.
/// </summary>
internal sealed partial class CkksCompressor
{
    private void CompressVector512(ReadOnlySpan<ulong> residues, Span<ulong> destination)
    {
        var n = _n;
        ref var input = ref MemoryMarshal.GetReference(residues);
        ref var output = ref MemoryMarshal.GetReference(destination);
        for (var j = 0; j < n; j += Vector512<ulong>.Count)
        {
            var integer = Vector512<ulong>.Zero;
            var fractionHigh = Vector512<ulong>.Zero;
            var fractionLow = Vector512<ulong>.Zero;
            for (var i = 0; i < _moduli.Length; i++)
            {
                var q = Vector512.Create(_moduli[i].Value);
                var x = Vector512.LoadUnsafe(ref Unsafe.Add(ref input, (i * n) + j));
                var v = SubtractIfAtLeast(MultiplyShoupLazy(x, Vector512.Create(_hatInverse[i]), Vector512.Create(_hatInverseShoup[i]), Vector512.Create(_hatInverseShoup[i] >> 32), q), q);
                var quotient = MultiplyHigh(v, Vector512.Create(_twoWRemainderShoup[i]), Vector512.Create(_twoWRemainderShoup[i] >> 32));
                var remainder = Avx512DQ.MultiplyLow(v, Vector512.Create(_twoWRemainder[i])) - Avx512DQ.MultiplyLow(quotient, q);
                var reduced = remainder - q;
                var below = Vector512.ShiftRightArithmetic(reduced.AsInt64(), 63).AsUInt64();
                remainder = reduced + (q & below);
                quotient += Vector512<ulong>.One + below;
                integer += Avx512DQ.MultiplyLow(v, Vector512.Create(_twoWQuotient[i])) + quotient;
                var hat = (ulong)_hat[i];
                var productLow = Avx512DQ.MultiplyLow(remainder, Vector512.Create(hat));
                var productHigh = MultiplyHigh(remainder, Vector512.Create(hat), Vector512.Create(hat >> 32));
                fractionLow += productLow;
                fractionHigh += productHigh - Vector512.LessThan(fractionLow, productLow); // a carry is an all-ones lane: minus -1
            }

            // round(T / Q) = #{m : 2T >= (2m - 1) Q}, as in RoundQuotient
            var twiceHigh = Vector512.ShiftLeft(fractionHigh, 1) | Vector512.ShiftRightLogical(fractionLow, 63);
            var twiceLow = Vector512.ShiftLeft(fractionLow, 1);
            var rounded = Vector512<ulong>.Zero;
            foreach (var multiple in _oddMultiples)
            {
                var multipleHigh = Vector512.Create((ulong)(multiple >> 64));
                var multipleLow = Vector512.Create((ulong)multiple);
                var below = Vector512.LessThan(twiceHigh, multipleHigh) | (Vector512.Equals(twiceHigh, multipleHigh) & Vector512.LessThan(twiceLow, multipleLow));
                rounded += Vector512<ulong>.One + below; // 1 unless below (all ones)
            }

            ((integer + rounded) & Vector512.Create(_mask)).StoreUnsafe(ref Unsafe.Add(ref output, j));
        }
    }

    private void DecompressVector512(ReadOnlySpan<ulong> compressed, Span<ulong> residues, bool accumulate)
    {
        var n = _n;
        var bits = Bits;
        var half = Vector512.Create(1UL << (bits - 1));
        var low = Vector512.Create(_low);
        var lowHigh = Vector512.Create(_low >> 32);
        ref var input = ref MemoryMarshal.GetReference(compressed);
        ref var output = ref MemoryMarshal.GetReference(residues);
        for (var j = 0; j < n; j += Vector512<ulong>.Count)
        {
            var y = Vector512.LoadUnsafe(ref Unsafe.Add(ref input, j)) & Vector512.Create(_mask);
            // round(Q y / 2^w) = high · y + floor((low · y + 2^(w-1)) / 2^w), as in the scalar code
            var productLow = Avx512DQ.MultiplyLow(y, low);
            var productHigh = MultiplyHigh(y, low, lowHigh);
            var sum = productLow + half;
            productHigh += Vector512.ShiftRightLogical((productLow & half) | ((productLow | half) & ~sum), 63);
            var tail = Vector512.ShiftLeft(productHigh, 64 - bits) | Vector512.ShiftRightLogical(sum, bits);
            for (var i = 0; i < _moduli.Length; i++)
            {
                var q = Vector512.Create(_moduli[i].Value);
                var value = MultiplyShoupLazy(y, Vector512.Create(_highModQ[i]), Vector512.Create(_highModQShoup[i]), Vector512.Create(_highModQShoup[i] >> 32), q) + tail;
                value = SubtractIfAtLeast(SubtractIfAtLeast(value, q), q);
                ref var target = ref Unsafe.Add(ref output, (i * n) + j);
                if (accumulate)
                {
                    value = SubtractIfAtLeast(Vector512.LoadUnsafe(ref target) + value, q);
                }

                value.StoreUnsafe(ref target);
            }
        }
    }
}
