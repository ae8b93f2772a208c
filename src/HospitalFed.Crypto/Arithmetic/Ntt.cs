using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// Negacyclic number-theoretic transform with Harvey's lazy butterflies (Harvey 2014, "Faster
/// arithmetic for number-theoretic transforms", Alg. 4): intermediate values stay in [0, 4q)
/// and only the output is fully reduced, so a butterfly costs one Shoup multiplication and no
/// division. Data-independent control flow: safe on secret polynomials. The vector paths
/// (Ntt.Vector512.cs, Ntt.Vector256.cs) run the same butterflies lane-wise and give bit-identical
/// results; only the ISA and the ring degree choose the path, never the data.
/// </summary>
internal static partial class Ntt
{
    /// <summary>In place: coefficients in [0, q) to evaluations at psi^(2 bitrev(i) + 1), in [0, q).</summary>
    public static void Forward(Span<ulong> values, NttTables tables) => Forward(values, tables, SimdSupport.Best);

    /// <summary>In place: evaluations in [0, q) back to coefficients in [0, q), including the 1/N scaling.</summary>
    public static void Inverse(Span<ulong> values, NttTables tables) => Inverse(values, tables, SimdSupport.Best);

    /// <summary><see cref="Forward(Span{ulong}, NttTables)"/> on a chosen path (tests and benchmarks compare them).</summary>
    /// <exception cref="NotSupportedException">This machine cannot run <paramref name="width"/>.</exception>
    internal static void Forward(Span<ulong> values, NttTables tables, SimdWidth width)
    {
        CheckArguments(values, tables, width);
        switch (EffectiveWidth(tables.RingDegree, width))
        {
            case SimdWidth.Vector512:
                ForwardVector512(values, tables);
                break;
            case SimdWidth.Vector256:
                ForwardVector256(values, tables);
                break;
            default:
                ForwardScalar(values, tables);
                break;
        }
    }

    /// <summary><see cref="Inverse(Span{ulong}, NttTables)"/> on a chosen path (tests and benchmarks compare them).</summary>
    /// <exception cref="NotSupportedException">This machine cannot run <paramref name="width"/>.</exception>
    internal static void Inverse(Span<ulong> values, NttTables tables, SimdWidth width)
    {
        CheckArguments(values, tables, width);
        switch (EffectiveWidth(tables.RingDegree, width))
        {
            case SimdWidth.Vector512:
                InverseVector512(values, tables);
                break;
            case SimdWidth.Vector256:
                InverseVector256(values, tables);
                break;
            default:
                InverseScalar(values, tables);
                break;
        }
    }

    private static void CheckArguments(Span<ulong> values, NttTables tables, SimdWidth width)
    {
        if (values.Length != tables.RingDegree)
        {
            throw new ArgumentException($"expected {tables.RingDegree} values, got {values.Length}", nameof(values));
        }

        if (!SimdSupport.IsSupported(width))
        {
            throw new NotSupportedException($"this machine cannot run the {width} NTT path");
        }
    }

    /// <summary>
    /// The vector kernels regroup two vectors in their short-distance stages, so they need N of at
    /// least two vectors' lanes (16 words with AVX-512, 8 with AVX2); smaller rings run scalar.
    /// </summary>
    private static SimdWidth EffectiveWidth(int n, SimdWidth width) =>
        n >= 2 * (int)width ? width : SimdWidth.Scalar;

    private static void ForwardScalar(Span<ulong> values, NttTables tables)
    {
        var n = tables.RingDegree;
        var q = tables.Modulus.Value;
        var twoQ = q << 1;
        ref var a = ref MemoryMarshal.GetReference(values);
        ref var w = ref MemoryMarshal.GetArrayDataReference(tables.RootPowers);
        ref var ws = ref MemoryMarshal.GetArrayDataReference(tables.RootPowersShoup);

        var t = n;
        for (var m = 1; m < n >> 1; m <<= 1)
        {
            t >>= 1;
            for (var i = 0; i < m; i++)
            {
                var root = Unsafe.Add(ref w, m + i);
                var rootShoup = Unsafe.Add(ref ws, m + i);
                ref var x = ref Unsafe.Add(ref a, 2 * i * t);
                ref var y = ref Unsafe.Add(ref x, t);
                for (var j = 0; j < t; j++)
                {
                    // Harvey: X in [0, 4q) -> [0, 2q); T = W*Y in [0, 2q); X' = X + T, Y' = X - T + 2q, both in [0, 4q).
                    var u = Modulus.SubtractIfAtLeast(Unsafe.Add(ref x, j), twoQ);
                    var v = Modulus.MultiplyShoupLazy(Unsafe.Add(ref y, j), root, rootShoup, q);
                    Unsafe.Add(ref x, j) = u + v;
                    Unsafe.Add(ref y, j) = u - v + twoQ;
                }
            }
        }

        // Last stage (t = 1) fused with the final reduction to [0, q): one pass fewer.
        var half = n >> 1;
        for (var i = 0; i < half; i++)
        {
            var root = Unsafe.Add(ref w, half + i);
            var rootShoup = Unsafe.Add(ref ws, half + i);
            ref var x = ref Unsafe.Add(ref a, 2 * i);
            ref var y = ref Unsafe.Add(ref x, 1);
            var u = Modulus.SubtractIfAtLeast(x, twoQ);
            var v = Modulus.MultiplyShoupLazy(y, root, rootShoup, q);
            x = Modulus.SubtractIfAtLeast(Modulus.SubtractIfAtLeast(u + v, twoQ), q);
            y = Modulus.SubtractIfAtLeast(Modulus.SubtractIfAtLeast(u - v + twoQ, twoQ), q);
        }
    }

    private static void InverseScalar(Span<ulong> values, NttTables tables)
    {
        var n = tables.RingDegree;
        var q = tables.Modulus.Value;
        var twoQ = q << 1;
        ref var a = ref MemoryMarshal.GetReference(values);
        ref var w = ref MemoryMarshal.GetArrayDataReference(tables.InverseRootPowers);
        ref var ws = ref MemoryMarshal.GetArrayDataReference(tables.InverseRootPowersShoup);

        var t = 1;
        for (var m = n; m > 2; m >>= 1)
        {
            var h = m >> 1;
            for (var i = 0; i < h; i++)
            {
                var root = Unsafe.Add(ref w, h + i);
                var rootShoup = Unsafe.Add(ref ws, h + i);
                ref var x = ref Unsafe.Add(ref a, 2 * i * t);
                ref var y = ref Unsafe.Add(ref x, t);
                for (var j = 0; j < t; j++)
                {
                    // Gentleman-Sande, lazy: inputs in [0, 2q), outputs in [0, 2q).
                    var u = Unsafe.Add(ref x, j);
                    var v = Unsafe.Add(ref y, j);
                    Unsafe.Add(ref x, j) = Modulus.SubtractIfAtLeast(u + v, twoQ);
                    Unsafe.Add(ref y, j) = Modulus.MultiplyShoupLazy(u - v + twoQ, root, rootShoup, q);
                }
            }

            t <<= 1;
        }

        // Last stage (one block, root psi^-bitrev(1)) fused with the 1/N scaling: one pass fewer.
        var scale = tables.InverseDegree;
        var scaleShoup = tables.InverseDegreeShoup;
        var lastRoot = tables.ScaledLastInverseRoot;
        var lastRootShoup = tables.ScaledLastInverseRootShoup;
        ref var top = ref a;
        ref var bottom = ref Unsafe.Add(ref a, t);
        for (var j = 0; j < t; j++)
        {
            var u = Unsafe.Add(ref top, j);
            var v = Unsafe.Add(ref bottom, j);
            Unsafe.Add(ref top, j) = Modulus.MultiplyShoup(u + v, scale, scaleShoup, q);
            Unsafe.Add(ref bottom, j) = Modulus.MultiplyShoup(u - v + twoQ, lastRoot, lastRootShoup, q);
        }
    }
}
