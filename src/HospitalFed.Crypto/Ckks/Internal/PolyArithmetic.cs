using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>Coefficient-wise arithmetic on residue blocks (N words per prime), vectorised where it pays.</summary>
internal static class PolyArithmetic
{
    /// <summary>a += b mod q_i block by block; inputs and outputs in [0, q).</summary>
    public static void AddInPlace(Span<ulong> a, ReadOnlySpan<ulong> b, ReadOnlySpan<Modulus> moduli, int n)
    {
        for (var i = 0; i < moduli.Length; i++)
        {
            Add(a.Slice(i * n, n), b.Slice(i * n, n), a.Slice(i * n, n), moduli[i].Value);
        }
    }

    /// <summary>destination = a + b mod q_i block by block.</summary>
    public static void Add(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> destination, ReadOnlySpan<Modulus> moduli, int n)
    {
        for (var i = 0; i < moduli.Length; i++)
        {
            Add(a.Slice(i * n, n), b.Slice(i * n, n), destination.Slice(i * n, n), moduli[i].Value);
        }
    }

    /// <summary>destination = a + b mod q (one block); the spans may alias exactly.</summary>
    public static void Add(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> destination, ulong q) =>
        Add(a, b, destination, q, SimdSupport.Best);

    /// <summary><see cref="Add(ReadOnlySpan{ulong}, ReadOnlySpan{ulong}, Span{ulong}, ulong)"/> on a chosen path (tests compare them).</summary>
    internal static void Add(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> destination, ulong q, SimdWidth width)
    {
        CheckWidth(width);
        var length = a.Length;
        if (b.Length != length || destination.Length != length)
        {
            throw new ArgumentException($"the operands and the destination must all hold {length} residues");
        }

        var i = 0;
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        if (width == SimdWidth.Vector512)
        {
            var qv = Vector512.Create(q);
            for (; i + 8 <= length; i += 8)
            {
                var sum = Vector512.LoadUnsafe(ref ra, (nuint)i) + Vector512.LoadUnsafe(ref rb, (nuint)i);
                ModularVector512.SubtractIfAtLeast(sum, qv).StoreUnsafe(ref rd, (nuint)i);
            }
        }
        else if (width == SimdWidth.Vector256)
        {
            var qv = Vector256.Create(q);
            for (; i + 4 <= length; i += 4)
            {
                // sum < 2q < 2^62, inside the signed compare's exact range
                var sum = Vector256.LoadUnsafe(ref ra, (nuint)i) + Vector256.LoadUnsafe(ref rb, (nuint)i);
                ModularVector256.SubtractIfAtLeast(sum, qv).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref rd, i) = Modulus.SubtractIfAtLeast(Unsafe.Add(ref ra, i) + Unsafe.Add(ref rb, i), q);
        }
    }

    /// <summary>destination = a * b + c mod q_i (Barrett), block by block; destination may alias c.</summary>
    public static void MultiplyAdd(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> c, Span<ulong> destination, ReadOnlySpan<Modulus> moduli, int n)
    {
        for (var i = 0; i < moduli.Length; i++)
        {
            var modulus = moduli[i];
            var offset = i * n;
            for (var j = offset; j < offset + n; j++)
            {
                destination[j] = modulus.Add(modulus.Multiply(a[j], b[j]), c[j]);
            }
        }
    }

    /// <summary>destination = x * w + c mod q_i with w's Shoup factors precomputed; destination may alias c.</summary>
    public static void MultiplyShoupAdd(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> wShoup, ReadOnlySpan<ulong> c, Span<ulong> destination, ReadOnlySpan<Modulus> moduli, int n) =>
        MultiplyShoupAdd(x, w, wShoup, c, destination, moduli, n, SimdSupport.Best);

    /// <summary>destination = x * w mod q_i with w's Shoup factors precomputed.</summary>
    public static void MultiplyShoup(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> wShoup, Span<ulong> destination, ReadOnlySpan<Modulus> moduli, int n) =>
        MultiplyShoup(x, w, wShoup, destination, moduli, n, SimdSupport.Best);

    /// <summary><see cref="MultiplyShoupAdd(ReadOnlySpan{ulong}, ReadOnlySpan{ulong}, ReadOnlySpan{ulong}, ReadOnlySpan{ulong}, Span{ulong}, ReadOnlySpan{Modulus}, int)"/> on a chosen path.</summary>
    internal static void MultiplyShoupAdd(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> wShoup, ReadOnlySpan<ulong> c, Span<ulong> destination, ReadOnlySpan<Modulus> moduli, int n, SimdWidth width)
    {
        CheckShoupOperands(x, w, wShoup, destination, moduli.Length * n, width);
        if (c.Length < moduli.Length * n)
        {
            throw new ArgumentException($"the addend needs {moduli.Length} blocks of {n} residues", nameof(c));
        }

        for (var i = 0; i < moduli.Length; i++)
        {
            var offset = i * n;
            MultiplyShoupBlock(x.Slice(offset, n), w.Slice(offset, n), wShoup.Slice(offset, n), c.Slice(offset, n), destination.Slice(offset, n), moduli[i].Value, add: true, width);
        }
    }

    /// <summary><see cref="MultiplyShoup(ReadOnlySpan{ulong}, ReadOnlySpan{ulong}, ReadOnlySpan{ulong}, Span{ulong}, ReadOnlySpan{Modulus}, int)"/> on a chosen path.</summary>
    internal static void MultiplyShoup(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> wShoup, Span<ulong> destination, ReadOnlySpan<Modulus> moduli, int n, SimdWidth width)
    {
        CheckShoupOperands(x, w, wShoup, destination, moduli.Length * n, width);
        for (var i = 0; i < moduli.Length; i++)
        {
            var offset = i * n;
            MultiplyShoupBlock(x.Slice(offset, n), w.Slice(offset, n), wShoup.Slice(offset, n), default, destination.Slice(offset, n), moduli[i].Value, add: false, width);
        }
    }

    private static void CheckShoupOperands(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> wShoup, Span<ulong> destination, int total, SimdWidth width)
    {
        CheckWidth(width);
        if (x.Length < total || w.Length < total || wShoup.Length < total || destination.Length < total)
        {
            throw new ArgumentException($"every operand needs {total} residues");
        }
    }

    /// <summary>
    /// One residue block. <paramref name="add"/> is a property of the call, never of the data, so
    /// the branch on it is public; the products themselves are branch-free.
    /// </summary>
    private static void MultiplyShoupBlock(ReadOnlySpan<ulong> xs, ReadOnlySpan<ulong> ws, ReadOnlySpan<ulong> wShoups, ReadOnlySpan<ulong> cs, Span<ulong> destinations, ulong q, bool add, SimdWidth width)
    {
        var n = xs.Length;
        ref var x = ref MemoryMarshal.GetReference(xs);
        ref var w = ref MemoryMarshal.GetReference(ws);
        ref var wShoup = ref MemoryMarshal.GetReference(wShoups);
        ref var c = ref MemoryMarshal.GetReference(cs);
        ref var destination = ref MemoryMarshal.GetReference(destinations);
        var j = 0;
        if (width == SimdWidth.Vector512)
        {
            var qv = Vector512.Create(q);
            for (; j + 8 <= n; j += 8)
            {
                var s = Vector512.LoadUnsafe(ref wShoup, (nuint)j);
                var product = ModularVector512.SubtractIfAtLeast(
                    ModularVector512.MultiplyShoupLazy(Vector512.LoadUnsafe(ref x, (nuint)j), Vector512.LoadUnsafe(ref w, (nuint)j), s, Vector512.ShiftRightLogical(s, 32), qv),
                    qv);
                if (add)
                {
                    product = ModularVector512.SubtractIfAtLeast(product + Vector512.LoadUnsafe(ref c, (nuint)j), qv);
                }

                product.StoreUnsafe(ref destination, (nuint)j);
            }
        }
        else if (width == SimdWidth.Vector256)
        {
            var qv = Vector256.Create(q);
            var qHigh = Vector256.Create(q >> 32);
            for (; j + 4 <= n; j += 4)
            {
                var wv = Vector256.LoadUnsafe(ref w, (nuint)j);
                var s = Vector256.LoadUnsafe(ref wShoup, (nuint)j);
                var lazy = ModularVector256.MultiplyShoupLazy(
                    Vector256.LoadUnsafe(ref x, (nuint)j), wv, Vector256.ShiftRightLogical(wv, 32), s, Vector256.ShiftRightLogical(s, 32), qv, qHigh);
                var product = ModularVector256.SubtractIfAtLeast(lazy, qv);
                if (add)
                {
                    product = ModularVector256.SubtractIfAtLeast(product + Vector256.LoadUnsafe(ref c, (nuint)j), qv);
                }

                product.StoreUnsafe(ref destination, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            var product = Modulus.MultiplyShoup(Unsafe.Add(ref x, j), Unsafe.Add(ref w, j), Unsafe.Add(ref wShoup, j), q);
            Unsafe.Add(ref destination, j) = add ? Modulus.SubtractIfAtLeast(product + Unsafe.Add(ref c, j), q) : product;
        }
    }

    /// <summary>Shoup factors of every residue of <paramref name="w"/>.</summary>
    public static void ShoupFactors(ReadOnlySpan<ulong> w, Span<ulong> destination, ReadOnlySpan<Modulus> moduli, int n)
    {
        for (var i = 0; i < moduli.Length; i++)
        {
            var modulus = moduli[i];
            for (var j = i * n; j < (i + 1) * n; j++)
            {
                destination[j] = modulus.ShoupFactor(w[j]);
            }
        }
    }

    private static void CheckWidth(SimdWidth width)
    {
        if (!SimdSupport.IsSupported(width))
        {
            throw new NotSupportedException($"this machine cannot run the {width} path");
        }
    }
}
