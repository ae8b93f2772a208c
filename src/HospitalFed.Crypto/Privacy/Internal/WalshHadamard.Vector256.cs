using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>The AVX2 kernels: a row is two vectors of four doubles.</summary>
internal static partial class WalshHadamard
{
    /// <summary>Levels 0 and 1 inside each vector (as in <see cref="WithinRows512"/>), level 2 between the row's two vectors.</summary>
    private static void WithinRows256(Span<double> block)
    {
        var swap1 = Vector256.Create(1L, 0, 3, 2);
        var swap2 = Vector256.Create(2L, 3, 0, 1);
        var sign = long.MinValue;
        var flip1 = Vector256.Create(0, sign, 0, sign).AsDouble();
        var flip2 = Vector256.Create(0, 0, sign, sign).AsDouble();
        ref var b = ref MemoryMarshal.GetReference(block);
        for (var i = 0; i < block.Length; i += RowLength)
        {
            var low = Vector256.LoadUnsafe(ref b, (nuint)i);
            var high = Vector256.LoadUnsafe(ref b, (nuint)i + 4);
            low = Vector256.Shuffle(low, swap1) + (low ^ flip1);
            high = Vector256.Shuffle(high, swap1) + (high ^ flip1);
            low = Vector256.Shuffle(low, swap2) + (low ^ flip2);
            high = Vector256.Shuffle(high, swap2) + (high ^ flip2);
            (low + high).StoreUnsafe(ref b, (nuint)i);
            (low - high).StoreUnsafe(ref b, (nuint)i + 4);
        }
    }

    private readonly struct Rows256 : IRowButterflies
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Radix2(ref double a, int distance)
        {
            for (nuint half = 0; half < RowLength; half += 4)
            {
                var x = Vector256.LoadUnsafe(ref a, half);
                var y = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, distance), half);
                (x + y).StoreUnsafe(ref a, half);
                (x - y).StoreUnsafe(ref Unsafe.Add(ref a, distance), half);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]

        public static void Radix4(ref double a, int distance)
        {
            ref var a1 = ref Unsafe.Add(ref a, distance);
            ref var a2 = ref Unsafe.Add(ref a1, distance);
            ref var a3 = ref Unsafe.Add(ref a2, distance);
            for (nuint half = 0; half < RowLength; half += 4)
            {
                var x0 = Vector256.LoadUnsafe(ref a, half);
                var x1 = Vector256.LoadUnsafe(ref a1, half);
                var x2 = Vector256.LoadUnsafe(ref a2, half);
                var x3 = Vector256.LoadUnsafe(ref a3, half);
                var s0 = x0 + x1;
                var d0 = x0 - x1;
                var s1 = x2 + x3;
                var d1 = x2 - x3;
                (s0 + s1).StoreUnsafe(ref a, half);
                (d0 + d1).StoreUnsafe(ref a1, half);
                (s0 - s1).StoreUnsafe(ref a2, half);
                (d0 - d1).StoreUnsafe(ref a3, half);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Radix8(ref double a, int distance)
        {
            for (nuint half = 0; half < RowLength; half += 4)
            {
                var x0 = Vector256.LoadUnsafe(ref a, half);
                var x1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, distance), half);
                var x2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, 2 * distance), half);
                var x3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, 3 * distance), half);
                var x4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, 4 * distance), half);
                var x5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, 5 * distance), half);
                var x6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, 6 * distance), half);
                var x7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, 7 * distance), half);
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
