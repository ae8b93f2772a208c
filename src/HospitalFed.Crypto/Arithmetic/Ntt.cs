using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HospitalFed.Crypto.Arithmetic;

/// <summary>
/// Negacyclic number-theoretic transform with Harvey's lazy butterflies (Harvey 2014, "Faster
/// arithmetic for number-theoretic transforms", Alg. 4): intermediate values stay in [0, 4q)
/// and only the output is fully reduced, so a butterfly costs one Shoup multiplication and no
/// division. Data-independent control flow: safe on secret polynomials.
/// </summary>
internal static class Ntt
{
    /// <summary>In place: coefficients in [0, q) to evaluations at psi^(2 bitrev(i) + 1), in [0, q).</summary>
    public static void Forward(Span<ulong> values, NttTables tables)
    {
        var n = tables.RingDegree;
        if (values.Length != n)
        {
            throw new ArgumentException($"expected {n} coefficients, got {values.Length}", nameof(values));
        }

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

    /// <summary>In place: evaluations in [0, q) back to coefficients in [0, q), including the 1/N scaling.</summary>
    public static void Inverse(Span<ulong> values, NttTables tables)
    {
        var n = tables.RingDegree;
        if (values.Length != n)
        {
            throw new ArgumentException($"expected {n} values, got {values.Length}", nameof(values));
        }

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
