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
    public static void Add(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> destination, ulong q)
    {
        var i = 0;
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        if (Vector256.IsHardwareAccelerated)
        {
            var qv = Vector256.Create((long)q);
            for (; i + 4 <= a.Length; i += 4)
            {
                var sum = Vector256.LoadUnsafe(ref ra, (nuint)i).AsInt64() + Vector256.LoadUnsafe(ref rb, (nuint)i).AsInt64();
                // subtract q where sum >= q (signed compare is exact: every value is below 2^62)
                var reduced = sum - (qv & Vector256.GreaterThanOrEqual(sum, qv));
                reduced.AsUInt64().StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < a.Length; i++)
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
    public static void MultiplyShoupAdd(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> wShoup, ReadOnlySpan<ulong> c, Span<ulong> destination, ReadOnlySpan<Modulus> moduli, int n)
    {
        for (var i = 0; i < moduli.Length; i++)
        {
            var q = moduli[i].Value;
            var offset = i * n;
            ref var rx = ref MemoryMarshal.GetReference(x.Slice(offset, n));
            ref var rw = ref MemoryMarshal.GetReference(w.Slice(offset, n));
            ref var rs = ref MemoryMarshal.GetReference(wShoup.Slice(offset, n));
            ref var rc = ref MemoryMarshal.GetReference(c.Slice(offset, n));
            ref var rd = ref MemoryMarshal.GetReference(destination.Slice(offset, n));
            for (var j = 0; j < n; j++)
            {
                var product = Modulus.MultiplyShoup(Unsafe.Add(ref rx, j), Unsafe.Add(ref rw, j), Unsafe.Add(ref rs, j), q);
                Unsafe.Add(ref rd, j) = Modulus.SubtractIfAtLeast(product + Unsafe.Add(ref rc, j), q);
            }
        }
    }

    /// <summary>destination = x * w mod q_i with w's Shoup factors precomputed.</summary>
    public static void MultiplyShoup(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> wShoup, Span<ulong> destination, ReadOnlySpan<Modulus> moduli, int n)
    {
        for (var i = 0; i < moduli.Length; i++)
        {
            var q = moduli[i].Value;
            var offset = i * n;
            ref var rx = ref MemoryMarshal.GetReference(x.Slice(offset, n));
            ref var rw = ref MemoryMarshal.GetReference(w.Slice(offset, n));
            ref var rs = ref MemoryMarshal.GetReference(wShoup.Slice(offset, n));
            ref var rd = ref MemoryMarshal.GetReference(destination.Slice(offset, n));
            for (var j = 0; j < n; j++)
            {
                Unsafe.Add(ref rd, j) = Modulus.MultiplyShoup(Unsafe.Add(ref rx, j), Unsafe.Add(ref rw, j), Unsafe.Add(ref rs, j), q);
            }
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
}
