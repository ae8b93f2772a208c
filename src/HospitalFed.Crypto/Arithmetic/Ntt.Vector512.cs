using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static HospitalFed.Crypto.Arithmetic.ModularVector512;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// The AVX-512 path: the same butterflies as the scalar code on eight lanes. Stages whose
/// butterfly distance t is at least 8 broadcast one twiddle over whole vectors; the three stages
/// with t = 4, 2, 1 load two vectors (16 words), regroup them into an X and a Y vector with
/// two-source permutes, and undo the permute on the way out (Intel HEXL's forward/inverse
/// "T4/T2/T1" kernels work the same way). Requires N &gt;= 16.
/// </summary>
internal static partial class Ntt
{
    private static void ForwardVector512(Span<ulong> values, NttTables tables)
    {
        var n = tables.RingDegree;
        var q = Vector512.Create(tables.Modulus.Value);
        var twoQ = q + q;
        ref var a = ref MemoryMarshal.GetReference(values);
        ref var w = ref MemoryMarshal.GetArrayDataReference(tables.RootPowers);
        ref var ws = ref MemoryMarshal.GetArrayDataReference(tables.RootPowersShoup);

        var m = 1;
        for (var t = n >> 1; t >= 8; t >>= 1, m <<= 1)
        {
            BroadcastStage512<ForwardButterfly512>(ref a, m, t, ref w, ref ws, q, twoQ);
        }

        DistanceFourStage512<ForwardButterfly512>(ref a, n >> 3, ref w, ref ws, q, twoQ);
        DistanceTwoStage512<ForwardButterfly512>(ref a, n >> 2, ref w, ref ws, q, twoQ);
        DistanceOneStage512<ForwardLastButterfly512>(ref a, n >> 1, ref w, ref ws, q, twoQ);
    }

    private static void InverseVector512(Span<ulong> values, NttTables tables)
    {
        var n = tables.RingDegree;
        var q = Vector512.Create(tables.Modulus.Value);
        var twoQ = q + q;
        ref var a = ref MemoryMarshal.GetReference(values);
        ref var w = ref MemoryMarshal.GetArrayDataReference(tables.InverseRootPowers);
        ref var ws = ref MemoryMarshal.GetArrayDataReference(tables.InverseRootPowersShoup);

        DistanceOneStage512<InverseButterfly512>(ref a, n >> 1, ref w, ref ws, q, twoQ);
        DistanceTwoStage512<InverseButterfly512>(ref a, n >> 2, ref w, ref ws, q, twoQ);
        DistanceFourStage512<InverseButterfly512>(ref a, n >> 3, ref w, ref ws, q, twoQ);
        var t = 8;
        for (var h = n >> 4; h > 1; h >>= 1, t <<= 1)
        {
            BroadcastStage512<InverseButterfly512>(ref a, h, t, ref w, ref ws, q, twoQ);
        }

        // Last stage (one block) fused with the 1/N scaling, as in the scalar code.
        var scale = Vector512.Create(tables.InverseDegree);
        var scaleShoup = Vector512.Create(tables.InverseDegreeShoup);
        var scaleShoupHigh = Vector512.ShiftRightLogical(scaleShoup, 32);
        var lastRoot = Vector512.Create(tables.ScaledLastInverseRoot);
        var lastRootShoup = Vector512.Create(tables.ScaledLastInverseRootShoup);
        var lastRootShoupHigh = Vector512.ShiftRightLogical(lastRootShoup, 32);
        ref var bottom = ref Unsafe.Add(ref a, t);
        for (nuint j = 0; j < (nuint)t; j += 8)
        {
            var u = Vector512.LoadUnsafe(ref a, j);
            var v = Vector512.LoadUnsafe(ref bottom, j);
            SubtractIfAtLeast(MultiplyShoupLazy(u + v, scale, scaleShoup, scaleShoupHigh, q), q).StoreUnsafe(ref a, j);
            SubtractIfAtLeast(MultiplyShoupLazy(u - v + twoQ, lastRoot, lastRootShoup, lastRootShoupHigh, q), q).StoreUnsafe(ref bottom, j);
        }
    }

    /// <summary>Blocks 0..<paramref name="blocks"/>-1 of 2t words, t &gt;= 8: X = first half, Y = second half, one twiddle per block.</summary>
    private static void BroadcastStage512<TButterfly>(
        ref ulong a, int blocks, int t, ref ulong w, ref ulong ws, Vector512<ulong> q, Vector512<ulong> twoQ)
        where TButterfly : struct, IButterfly512
    {
        for (var i = 0; i < blocks; i++)
        {
            var root = Vector512.Create(Unsafe.Add(ref w, blocks + i));
            var rootShoup = Vector512.Create(Unsafe.Add(ref ws, blocks + i));
            ref var x = ref Unsafe.Add(ref a, 2 * i * t);
            ref var y = ref Unsafe.Add(ref x, t);
            for (nuint j = 0; j < (nuint)t; j += 8)
            {
                var xv = Vector512.LoadUnsafe(ref x, j);
                var yv = Vector512.LoadUnsafe(ref y, j);
                TButterfly.Apply(ref xv, ref yv, root, rootShoup, q, twoQ);
                xv.StoreUnsafe(ref x, j);
                yv.StoreUnsafe(ref y, j);
            }
        }
    }

    /// <summary>t = 4: two blocks [x0..x3 y0..y3] per step; X and Y are 128-bit-lane shuffles (VSHUFI64X2), which are their own inverse here.</summary>
    private static void DistanceFourStage512<TButterfly>(
        ref ulong a, int blocks, ref ulong w, ref ulong ws, Vector512<ulong> q, Vector512<ulong> twoQ)
        where TButterfly : struct, IButterfly512
    {
        var spread = Vector512.Create(0UL, 0, 0, 0, 1, 1, 1, 1);
        for (var i = 0; i < blocks; i += 2)
        {
            var root = Avx512F.PermuteVar8x64(Vector128.LoadUnsafe(ref w, (nuint)(blocks + i)).ToVector256Unsafe().ToVector512Unsafe(), spread);
            var rootShoup = Avx512F.PermuteVar8x64(Vector128.LoadUnsafe(ref ws, (nuint)(blocks + i)).ToVector256Unsafe().ToVector512Unsafe(), spread);
            ref var block = ref Unsafe.Add(ref a, 8 * i);
            var v0 = Vector512.LoadUnsafe(ref block);
            var v1 = Vector512.LoadUnsafe(ref block, 8);
            var x = Avx512F.Shuffle4x128(v0, v1, 0x44);
            var y = Avx512F.Shuffle4x128(v0, v1, 0xEE);
            TButterfly.Apply(ref x, ref y, root, rootShoup, q, twoQ);
            Avx512F.Shuffle4x128(x, y, 0x44).StoreUnsafe(ref block);
            Avx512F.Shuffle4x128(x, y, 0xEE).StoreUnsafe(ref block, 8);
        }
    }

    /// <summary>t = 2: four blocks [x0 x1 y0 y1] per step, regrouped with VPERMT2Q.</summary>
    private static void DistanceTwoStage512<TButterfly>(
        ref ulong a, int blocks, ref ulong w, ref ulong ws, Vector512<ulong> q, Vector512<ulong> twoQ)
        where TButterfly : struct, IButterfly512
    {
        var spread = Vector512.Create(0UL, 0, 1, 1, 2, 2, 3, 3);
        var pickX = Vector512.Create(0UL, 1, 4, 5, 8, 9, 12, 13);
        var pickY = Vector512.Create(2UL, 3, 6, 7, 10, 11, 14, 15);
        var joinLow = Vector512.Create(0UL, 1, 8, 9, 2, 3, 10, 11);
        var joinHigh = Vector512.Create(4UL, 5, 12, 13, 6, 7, 14, 15);
        for (var i = 0; i < blocks; i += 4)
        {
            var root = Avx512F.PermuteVar8x64(Vector256.LoadUnsafe(ref w, (nuint)(blocks + i)).ToVector512Unsafe(), spread);
            var rootShoup = Avx512F.PermuteVar8x64(Vector256.LoadUnsafe(ref ws, (nuint)(blocks + i)).ToVector512Unsafe(), spread);
            ref var block = ref Unsafe.Add(ref a, 4 * i);
            var v0 = Vector512.LoadUnsafe(ref block);
            var v1 = Vector512.LoadUnsafe(ref block, 8);
            var x = Avx512F.PermuteVar8x64x2(v0, pickX, v1);
            var y = Avx512F.PermuteVar8x64x2(v0, pickY, v1);
            TButterfly.Apply(ref x, ref y, root, rootShoup, q, twoQ);
            Avx512F.PermuteVar8x64x2(x, joinLow, y).StoreUnsafe(ref block);
            Avx512F.PermuteVar8x64x2(x, joinHigh, y).StoreUnsafe(ref block, 8);
        }
    }

    /// <summary>t = 1: eight blocks [x y] per step, X = even words, Y = odd words; the twiddles are contiguous.</summary>
    private static void DistanceOneStage512<TButterfly>(
        ref ulong a, int blocks, ref ulong w, ref ulong ws, Vector512<ulong> q, Vector512<ulong> twoQ)
        where TButterfly : struct, IButterfly512
    {
        var pickX = Vector512.Create(0UL, 2, 4, 6, 8, 10, 12, 14);
        var pickY = Vector512.Create(1UL, 3, 5, 7, 9, 11, 13, 15);
        var joinLow = Vector512.Create(0UL, 8, 1, 9, 2, 10, 3, 11);
        var joinHigh = Vector512.Create(4UL, 12, 5, 13, 6, 14, 7, 15);
        for (var i = 0; i < blocks; i += 8)
        {
            var root = Vector512.LoadUnsafe(ref w, (nuint)(blocks + i));
            var rootShoup = Vector512.LoadUnsafe(ref ws, (nuint)(blocks + i));
            ref var block = ref Unsafe.Add(ref a, 2 * i);
            var v0 = Vector512.LoadUnsafe(ref block);
            var v1 = Vector512.LoadUnsafe(ref block, 8);
            var x = Avx512F.PermuteVar8x64x2(v0, pickX, v1);
            var y = Avx512F.PermuteVar8x64x2(v0, pickY, v1);
            TButterfly.Apply(ref x, ref y, root, rootShoup, q, twoQ);
            Avx512F.PermuteVar8x64x2(x, joinLow, y).StoreUnsafe(ref block);
            Avx512F.PermuteVar8x64x2(x, joinHigh, y).StoreUnsafe(ref block, 8);
        }
    }

    private interface IButterfly512
    {
        static abstract void Apply(
            ref Vector512<ulong> x, ref Vector512<ulong> y, Vector512<ulong> root, Vector512<ulong> rootShoup, Vector512<ulong> q, Vector512<ulong> twoQ);
    }

    /// <summary>Cooley-Tukey, Harvey's lazy ranges: X in [0, 4q) -> X' = X + WY, Y' = X - WY + 2q, both in [0, 4q).</summary>
    private readonly struct ForwardButterfly512 : IButterfly512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply(
            ref Vector512<ulong> x, ref Vector512<ulong> y, Vector512<ulong> root, Vector512<ulong> rootShoup, Vector512<ulong> q, Vector512<ulong> twoQ)
        {
            var u = SubtractIfAtLeast(x, twoQ);
            var v = MultiplyShoupLazy(y, root, rootShoup, Vector512.ShiftRightLogical(rootShoup, 32), q);
            x = u + v;
            y = u - v + twoQ;
        }
    }

    /// <summary>The forward butterfly fused with the final reduction to [0, q).</summary>
    private readonly struct ForwardLastButterfly512 : IButterfly512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply(
            ref Vector512<ulong> x, ref Vector512<ulong> y, Vector512<ulong> root, Vector512<ulong> rootShoup, Vector512<ulong> q, Vector512<ulong> twoQ)
        {
            var u = SubtractIfAtLeast(x, twoQ);
            var v = MultiplyShoupLazy(y, root, rootShoup, Vector512.ShiftRightLogical(rootShoup, 32), q);
            x = SubtractIfAtLeast(SubtractIfAtLeast(u + v, twoQ), q);
            y = SubtractIfAtLeast(SubtractIfAtLeast(u - v + twoQ, twoQ), q);
        }
    }

    /// <summary>Gentleman-Sande, lazy: inputs in [0, 2q); X' = X + Y, Y' = W(X - Y + 2q), both in [0, 2q).</summary>
    private readonly struct InverseButterfly512 : IButterfly512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply(
            ref Vector512<ulong> x, ref Vector512<ulong> y, Vector512<ulong> root, Vector512<ulong> rootShoup, Vector512<ulong> q, Vector512<ulong> twoQ)
        {
            var u = x;
            var v = y;
            x = SubtractIfAtLeast(u + v, twoQ);
            y = MultiplyShoupLazy(u - v + twoQ, root, rootShoup, Vector512.ShiftRightLogical(rootShoup, 32), q);
        }
    }
}
