using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>Pass one's load: float to double, the sign flips as XOR of the sign bit (exactly x * (+-1)), squares into eight running sums.</summary>
internal sealed partial class BlockedRotation
{
    /// <summary>+1 or -1: the sign of coordinate <paramref name="i"/>.</summary>
    public double Sign(int i) => ((SignBits[i >> 5] >> (i & 31)) & 1) == 0 ? 1.0 : -1.0;

    private void LoadSigned(ReadOnlySpan<float> x, int start, Span<double> block, Span<double> sums, SimdWidth width)
    {
        var present = Math.Clamp(x.Length - start, 0, block.Length);
        var j = width switch
        {
            SimdWidth.Vector512 => LoadSigned512(x, start, present, block, sums),
            SimdWidth.Vector256 => LoadSigned256(x, start, present, block, sums),
            _ => 0,
        };
        for (; j < present; j++)
        {
            var value = x[start + j] * Sign(start + j);
            sums[j & (Lanes - 1)] += value * value;
            block[j] = value;
        }

        block[present..].Clear();
    }

    private int LoadSigned512(ReadOnlySpan<float> x, int start, int present, Span<double> block, Span<double> sums)
    {
        var laneBits = Vector512.Create(1L, 2, 4, 8, 16, 32, 64, 128);
        var signBit = Vector512.Create(long.MinValue);
        var acc = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(sums));
        ref var input = ref MemoryMarshal.GetReference(x);
        ref var output = ref MemoryMarshal.GetReference(block);
        var j = 0;
        for (; j + 8 <= present; j += 8)
        {
            var i = start + j;
            var bits = Vector512.Create((long)((SignBits[i >> 5] >> (i & 31)) & 0xFF)) & laneBits;
            var flip = Vector512.Equals(bits, laneBits) & signBit;
            var value = Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref input, (nuint)i)) ^ flip.AsDouble();
            acc += value * value;
            value.StoreUnsafe(ref output, (nuint)j);
        }

        acc.StoreUnsafe(ref MemoryMarshal.GetReference(sums));
        return j;
    }

    private int LoadSigned256(ReadOnlySpan<float> x, int start, int present, Span<double> block, Span<double> sums)
    {
        var laneBits = Vector256.Create(1L, 2, 4, 8);
        var signBit = Vector256.Create(long.MinValue);
        ref var s = ref MemoryMarshal.GetReference(sums);
        var low = Vector256.LoadUnsafe(ref s);
        var high = Vector256.LoadUnsafe(ref s, 4);
        ref var input = ref MemoryMarshal.GetReference(x);
        ref var output = ref MemoryMarshal.GetReference(block);
        var j = 0;
        for (; j + 8 <= present; j += 8)
        {
            var i = start + j;
            var word = SignBits[i >> 5] >> (i & 31);
            var lowFlip = Vector256.Equals(Vector256.Create((long)(word & 0xF)) & laneBits, laneBits) & signBit;
            var highFlip = Vector256.Equals(Vector256.Create((long)((word >> 4) & 0xF)) & laneBits, laneBits) & signBit;
            var lowValue = Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref input, (nuint)i)) ^ lowFlip.AsDouble();
            var highValue = Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref input, (nuint)i + 4)) ^ highFlip.AsDouble();
            low += lowValue * lowValue;
            high += highValue * highValue;
            lowValue.StoreUnsafe(ref output, (nuint)j);
            highValue.StoreUnsafe(ref output, (nuint)j + 4);
        }

        low.StoreUnsafe(ref s);
        high.StoreUnsafe(ref s, 4);
        return j;
    }
}
