using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static HospitalFed.Crypto.Arithmetic.ModularVector256;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// The AVX2 path: the scalar butterflies on four lanes. Stages with t &gt;= 4 broadcast one twiddle;
/// t = 2 regroups two vectors with 128-bit-lane permutes (VPERM2I128) and t = 1 with VPUNPCK[LH]QDQ,
/// whose interleaved lane order the twiddles follow through one VPERMQ. Requires N &gt;= 8.
/// </summary>
internal static partial class Ntt
{
    private static void ForwardVector256(Span<ulong> values, NttTables tables)
    {
        var n = tables.RingDegree;
        var q = new Modulus256(tables.Modulus.Value);
        ref var a = ref MemoryMarshal.GetReference(values);
        ref var w = ref MemoryMarshal.GetArrayDataReference(tables.RootPowers);
        ref var ws = ref MemoryMarshal.GetArrayDataReference(tables.RootPowersShoup);

        var m = 1;
        for (var t = n >> 1; t >= 4; t >>= 1, m <<= 1)
        {
            BroadcastStage256<ForwardButterfly256>(ref a, m, t, ref w, ref ws, q);
        }

        DistanceTwoStage256<ForwardButterfly256>(ref a, n >> 2, ref w, ref ws, q);
        DistanceOneStage256<ForwardLastButterfly256>(ref a, n >> 1, ref w, ref ws, q);
    }

    private static void InverseVector256(Span<ulong> values, NttTables tables)
    {
        var n = tables.RingDegree;
        var q = new Modulus256(tables.Modulus.Value);
        ref var a = ref MemoryMarshal.GetReference(values);
        ref var w = ref MemoryMarshal.GetArrayDataReference(tables.InverseRootPowers);
        ref var ws = ref MemoryMarshal.GetArrayDataReference(tables.InverseRootPowersShoup);

        DistanceOneStage256<InverseButterfly256>(ref a, n >> 1, ref w, ref ws, q);
        DistanceTwoStage256<InverseButterfly256>(ref a, n >> 2, ref w, ref ws, q);
        var t = 4;
        for (var h = n >> 3; h > 1; h >>= 1, t <<= 1)
        {
            BroadcastStage256<InverseButterfly256>(ref a, h, t, ref w, ref ws, q);
        }

        // Last stage (one block) fused with the 1/N scaling, as in the scalar code.
        var scale = Vector256.Create(tables.InverseDegree);
        var scaleShoup = Vector256.Create(tables.InverseDegreeShoup);
        var lastRoot = Vector256.Create(tables.ScaledLastInverseRoot);
        var lastRootShoup = Vector256.Create(tables.ScaledLastInverseRootShoup);
        ref var bottom = ref Unsafe.Add(ref a, t);
        for (nuint j = 0; j < (nuint)t; j += 4)
        {
            var u = Vector256.LoadUnsafe(ref a, j);
            var v = Vector256.LoadUnsafe(ref bottom, j);
            SubtractIfAtLeast(q.MultiplyShoupLazy(u + v, scale, scaleShoup), q.Value).StoreUnsafe(ref a, j);
            SubtractIfAtLeast(q.MultiplyShoupLazy(u - v + q.Twice, lastRoot, lastRootShoup), q.Value).StoreUnsafe(ref bottom, j);
        }
    }

    /// <summary>Blocks of 2t words, t &gt;= 4: X = first half, Y = second half, one twiddle per block.</summary>
    private static void BroadcastStage256<TButterfly>(ref ulong a, int blocks, int t, ref ulong w, ref ulong ws, Modulus256 q)
        where TButterfly : struct, IButterfly256
    {
        for (var i = 0; i < blocks; i++)
        {
            var root = Vector256.Create(Unsafe.Add(ref w, blocks + i));
            var rootShoup = Vector256.Create(Unsafe.Add(ref ws, blocks + i));
            ref var x = ref Unsafe.Add(ref a, 2 * i * t);
            ref var y = ref Unsafe.Add(ref x, t);
            for (nuint j = 0; j < (nuint)t; j += 4)
            {
                var xv = Vector256.LoadUnsafe(ref x, j);
                var yv = Vector256.LoadUnsafe(ref y, j);
                TButterfly.Apply(ref xv, ref yv, root, rootShoup, q);
                xv.StoreUnsafe(ref x, j);
                yv.StoreUnsafe(ref y, j);
            }
        }
    }

    /// <summary>t = 2: two blocks [x0 x1 y0 y1] per step; X and Y are 128-bit halves (VPERM2I128, its own inverse here).</summary>
    private static void DistanceTwoStage256<TButterfly>(ref ulong a, int blocks, ref ulong w, ref ulong ws, Modulus256 q)
        where TButterfly : struct, IButterfly256
    {
        for (var i = 0; i < blocks; i += 2)
        {
            // [r0 r0 r1 r1]
            var root = Avx2.Permute4x64(Vector128.LoadUnsafe(ref w, (nuint)(blocks + i)).ToVector256Unsafe(), 0x50);
            var rootShoup = Avx2.Permute4x64(Vector128.LoadUnsafe(ref ws, (nuint)(blocks + i)).ToVector256Unsafe(), 0x50);
            ref var block = ref Unsafe.Add(ref a, 4 * i);
            var v0 = Vector256.LoadUnsafe(ref block);
            var v1 = Vector256.LoadUnsafe(ref block, 4);
            var x = Avx2.Permute2x128(v0, v1, 0x20);
            var y = Avx2.Permute2x128(v0, v1, 0x31);
            TButterfly.Apply(ref x, ref y, root, rootShoup, q);
            Avx2.Permute2x128(x, y, 0x20).StoreUnsafe(ref block);
            Avx2.Permute2x128(x, y, 0x31).StoreUnsafe(ref block, 4);
        }
    }

    /// <summary>t = 1: four blocks [x y] per step; unpacking gives X = [x0 x2 x1 x3], so the twiddles are permuted (0, 2, 1, 3) to match.</summary>
    private static void DistanceOneStage256<TButterfly>(ref ulong a, int blocks, ref ulong w, ref ulong ws, Modulus256 q)
        where TButterfly : struct, IButterfly256
    {
        for (var i = 0; i < blocks; i += 4)
        {
            var root = Avx2.Permute4x64(Vector256.LoadUnsafe(ref w, (nuint)(blocks + i)), 0xD8);
            var rootShoup = Avx2.Permute4x64(Vector256.LoadUnsafe(ref ws, (nuint)(blocks + i)), 0xD8);
            ref var block = ref Unsafe.Add(ref a, 2 * i);
            var v0 = Vector256.LoadUnsafe(ref block);
            var v1 = Vector256.LoadUnsafe(ref block, 4);
            var x = Avx2.UnpackLow(v0, v1);
            var y = Avx2.UnpackHigh(v0, v1);
            TButterfly.Apply(ref x, ref y, root, rootShoup, q);
            Avx2.UnpackLow(x, y).StoreUnsafe(ref block);
            Avx2.UnpackHigh(x, y).StoreUnsafe(ref block, 4);
        }
    }

    private interface IButterfly256
    {
        static abstract void Apply(ref Vector256<ulong> x, ref Vector256<ulong> y, Vector256<ulong> root, Vector256<ulong> rootShoup, Modulus256 q);
    }

    /// <summary>q, 2q and q &gt;&gt; 32 broadcast once per transform.</summary>
    private readonly struct Modulus256(ulong q)
    {
        public Vector256<ulong> Value { get; } = Vector256.Create(q);

        public Vector256<ulong> Twice { get; } = Vector256.Create(q << 1);

        private Vector256<ulong> High { get; } = Vector256.Create(q >> 32);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<ulong> MultiplyShoupLazy(Vector256<ulong> x, Vector256<ulong> w, Vector256<ulong> wShoup) =>
            ModularVector256.MultiplyShoupLazy(
                x, w, Vector256.ShiftRightLogical(w, 32), wShoup, Vector256.ShiftRightLogical(wShoup, 32), Value, High);
    }

    /// <summary>Cooley-Tukey, Harvey's lazy ranges (see <see cref="ForwardButterfly512"/>).</summary>
    private readonly struct ForwardButterfly256 : IButterfly256
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply(ref Vector256<ulong> x, ref Vector256<ulong> y, Vector256<ulong> root, Vector256<ulong> rootShoup, Modulus256 q)
        {
            var u = SubtractIfAtLeast(x, q.Twice);
            var v = q.MultiplyShoupLazy(y, root, rootShoup);
            x = u + v;
            y = u - v + q.Twice;
        }
    }

    /// <summary>The forward butterfly fused with the final reduction to [0, q).</summary>
    private readonly struct ForwardLastButterfly256 : IButterfly256
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply(ref Vector256<ulong> x, ref Vector256<ulong> y, Vector256<ulong> root, Vector256<ulong> rootShoup, Modulus256 q)
        {
            var u = SubtractIfAtLeast(x, q.Twice);
            var v = q.MultiplyShoupLazy(y, root, rootShoup);
            x = SubtractIfAtLeast(SubtractIfAtLeast(u + v, q.Twice), q.Value);
            y = SubtractIfAtLeast(SubtractIfAtLeast(u - v + q.Twice, q.Twice), q.Value);
        }
    }

    /// <summary>Gentleman-Sande, lazy (see <see cref="InverseButterfly512"/>).</summary>
    private readonly struct InverseButterfly256 : IButterfly256
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply(ref Vector256<ulong> x, ref Vector256<ulong> y, Vector256<ulong> root, Vector256<ulong> rootShoup, Modulus256 q)
        {
            var u = x;
            var v = y;
            x = SubtractIfAtLeast(u + v, q.Twice);
            y = q.MultiplyShoupLazy(u - v + q.Twice, root, rootShoup);
        }
    }
}
