using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>The AVX-512 kernels: a row is one vector of eight doubles.</summary>
internal static partial class WalshHadamard
{
    /// <summary>
    /// Levels 0, 1, 2 inside each row. For distance h, lane i takes v[i ^ h] + (v[i] with its sign
    /// flipped if bit h of i is set): a + b on the low lane and a + (-b) = a - b on the high lane,
    /// exactly the reference's sums (IEEE addition is commutative and x - y is x + (-y)).
    /// </summary>
    private static void WithinRows512(Span<double> block)
    {
        var swap1 = Vector512.Create(1L, 0, 3, 2, 5, 4, 7, 6);
        var swap2 = Vector512.Create(2L, 3, 0, 1, 6, 7, 4, 5);
        var swap4 = Vector512.Create(4L, 5, 6, 7, 0, 1, 2, 3);
        var sign = long.MinValue;
        var flip1 = Vector512.Create(0, sign, 0, sign, 0, sign, 0, sign).AsDouble();
        var flip2 = Vector512.Create(0, 0, sign, sign, 0, 0, sign, sign).AsDouble();
        var flip4 = Vector512.Create(0, 0, 0, 0, sign, sign, sign, sign).AsDouble();
        ref var b = ref MemoryMarshal.GetReference(block);
        for (var i = 0; i < block.Length; i += RowLength)
        {
            var v = Vector512.LoadUnsafe(ref b, (nuint)i);
            v = Vector512.Shuffle(v, swap1) + (v ^ flip1);
            v = Vector512.Shuffle(v, swap2) + (v ^ flip2);
            v = Vector512.Shuffle(v, swap4) + (v ^ flip4);
            v.StoreUnsafe(ref b, (nuint)i);
        }
    }

    private readonly struct Rows512 : IRowButterflies
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Radix2(ref double a, int distance)
        {
            var x = Vector512.LoadUnsafe(ref a);
            var y = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, distance));
            (x + y).StoreUnsafe(ref a);
            (x - y).StoreUnsafe(ref Unsafe.Add(ref a, distance));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]

        public static void Radix4(ref double a, int distance)
        {
            ref var a1 = ref Unsafe.Add(ref a, distance);
            ref var a2 = ref Unsafe.Add(ref a1, distance);
            ref var a3 = ref Unsafe.Add(ref a2, distance);
            var x0 = Vector512.LoadUnsafe(ref a);
            var x1 = Vector512.LoadUnsafe(ref a1);
            var x2 = Vector512.LoadUnsafe(ref a2);
            var x3 = Vector512.LoadUnsafe(ref a3);
            var s0 = x0 + x1;
            var d0 = x0 - x1;
            var s1 = x2 + x3;
            var d1 = x2 - x3;
            (s0 + s1).StoreUnsafe(ref a);
            (d0 + d1).StoreUnsafe(ref a1);
            (s0 - s1).StoreUnsafe(ref a2);
            (d0 - d1).StoreUnsafe(ref a3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Radix8(ref double a, int distance)
        {
            for (nuint half = 0; half < RowLength; half += 8)
            {
                var x0 = Vector512.LoadUnsafe(ref a, half);
                var x1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, distance), half);
                var x2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, 2 * distance), half);
                var x3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, 3 * distance), half);
                var x4 = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, 4 * distance), half);
                var x5 = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, 5 * distance), half);
                var x6 = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, 6 * distance), half);
                var x7 = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, 7 * distance), half);
                (x0, x1) = (x0 + x1, x0 - x1);
                (x2, x3) = (x2 + x3, x2 - x3);
                (x4, x5) = (x4 + x5, x4 - x5);
                (x6, x7) = (x6 + x7, x6 - x7);
                (x0, x2) = (x0 + x2, x0 - x2);
                (x1, x3) = (x1 + x3, x1 - x3);
                (x4, x6) = (x4 + x6, x4 - x6);
                (x5, x7) = (x5 + x7, x5 - x7);
                (x0 + x4).StoreUnsafe(ref a, half);
                (x1 + x5).StoreUnsafe(ref Unsafe.Add(ref a, distance), half);
                (x2 + x6).StoreUnsafe(ref Unsafe.Add(ref a, 2 * distance), half);
                (x3 + x7).StoreUnsafe(ref Unsafe.Add(ref a, 3 * distance), half);
                (x0 - x4).StoreUnsafe(ref Unsafe.Add(ref a, 4 * distance), half);
                (x1 - x5).StoreUnsafe(ref Unsafe.Add(ref a, 5 * distance), half);
                (x2 - x6).StoreUnsafe(ref Unsafe.Add(ref a, 6 * distance), half);
                (x3 - x7).StoreUnsafe(ref Unsafe.Add(ref a, 7 * distance), half);
            }
        }
    }
}
