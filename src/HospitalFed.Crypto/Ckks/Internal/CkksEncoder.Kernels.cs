using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>The encoder's per-coefficient loops at each width: no bounds checks, no value-dependent branches.</summary>
internal sealed partial class CkksEncoder
{
    /// <summary>destination[j] = round(source[j] * scale) (ties to even, as Math.Round); returns max |destination[j]|.</summary>
    private static double RoundScaled(ReadOnlySpan<double> source, Span<double> destination, double scale, SimdWidth width)
    {
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = source.Length;
        var j = 0;
        var largest = Vector128<double>.Zero;
        if (width == SimdWidth.Vector512 && SimdSupport.IsSupported(width))
        {
            var max = Vector512<double>.Zero;
            for (; j + Vector512<double>.Count <= n; j += Vector512<double>.Count)
            {
                var c = Vector512.Round(Vector512.LoadUnsafe(ref s, (nuint)j) * scale);
                c.StoreUnsafe(ref d, (nuint)j);
                max = Vector512.Max(max, Vector512.Abs(c));
            }

            var halves = Vector256.Max(max.GetLower(), max.GetUpper());
            largest = Vector128.Max(halves.GetLower(), halves.GetUpper());
        }
        else if (width >= SimdWidth.Vector256 && SimdSupport.IsSupported(SimdWidth.Vector256))
        {
            var max = Vector256<double>.Zero;
            for (; j + Vector256<double>.Count <= n; j += Vector256<double>.Count)
            {
                var c = Vector256.Round(Vector256.LoadUnsafe(ref s, (nuint)j) * scale);
                c.StoreUnsafe(ref d, (nuint)j);
                max = Vector256.Max(max, Vector256.Abs(c));
            }

            largest = Vector128.Max(largest, Vector128.Max(max.GetLower(), max.GetUpper()));
        }

        for (; j < n; j++)
        {
            var c = System.Math.Round(Unsafe.Add(ref s, j) * scale);
            Unsafe.Add(ref d, j) = c;
            largest = Vector128.Max(largest, Vector128.CreateScalar(System.Math.Abs(c)));
        }

        return System.Math.Max(largest.GetElement(0), largest.GetElement(1));
    }

    /// <summary>destination[j] = source[j] * factor.</summary>
    private static void MultiplyInto(ReadOnlySpan<double> source, Span<double> destination, double factor, SimdWidth width)
    {
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = System.Math.Min(source.Length, destination.Length);
        var j = 0;
        if (width == SimdWidth.Vector512 && SimdSupport.IsSupported(width))
        {
            for (; j + Vector512<double>.Count <= n; j += Vector512<double>.Count)
            {
                (Vector512.LoadUnsafe(ref s, (nuint)j) * factor).StoreUnsafe(ref d, (nuint)j);
            }
        }
        else if (width >= SimdWidth.Vector256 && SimdSupport.IsSupported(SimdWidth.Vector256))
        {
            for (; j + Vector256<double>.Count <= n; j += Vector256<double>.Count)
            {
                (Vector256.LoadUnsafe(ref s, (nuint)j) * factor).StoreUnsafe(ref d, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            Unsafe.Add(ref d, j) = Unsafe.Add(ref s, j) * factor;
        }
    }

    /// <summary>Whether every value is finite: x - x is 0 for finite x and NaN otherwise, and NaN survives a sum.</summary>
    private static bool AllFinite(ReadOnlySpan<double> values, SimdWidth width)
    {
        ref var v = ref MemoryMarshal.GetReference(values);
        var n = values.Length;
        var j = 0;
        var sum = 0.0;
        if (width == SimdWidth.Vector512 && SimdSupport.IsSupported(width))
        {
            var acc = Vector512<double>.Zero;
            for (; j + Vector512<double>.Count <= n; j += Vector512<double>.Count)
            {
                var x = Vector512.LoadUnsafe(ref v, (nuint)j);
                acc += x - x;
            }

            sum = Vector512.Sum(acc);
        }
        else if (width >= SimdWidth.Vector256 && SimdSupport.IsSupported(SimdWidth.Vector256))
        {
            var acc = Vector256<double>.Zero;
            for (; j + Vector256<double>.Count <= n; j += Vector256<double>.Count)
            {
                var x = Vector256.LoadUnsafe(ref v, (nuint)j);
                acc += x - x;
            }

            sum = Vector256.Sum(acc);
        }

        for (; j < n; j++)
        {
            var x = Unsafe.Add(ref v, j);
            sum += x - x;
        }

        return sum == 0;
    }
}
