using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// Butterfly kernels of the unnormalised fast Walsh-Hadamard transform: level l pairs indices
/// i and i + 2^l (bit l of i clear) into (a + b, a - b). Every path performs the very same
/// butterflies on the very same operands, only scheduled differently (whole vectors, rows of
/// <see cref="RowLength"/> doubles, blocks that stay in L1), so all widths and the blocked
/// schedule give results bit for bit equal to <see cref="TransformScalar"/>, the textbook loop.
/// </summary>
internal static partial class WalshHadamard
{
    /// <summary>Doubles per row in the row kernels: one 64-byte cache line, one AVX-512 vector, two AVX2 vectors.</summary>
    public const int RowLength = 8;

    /// <summary>The reference: levels 0, 1, ... in order, each over the whole vector, scalar.</summary>
    public static void TransformScalar(Span<double> v)
    {
        for (var h = 1; h < v.Length; h <<= 1)
        {
            for (var start = 0; start < v.Length; start += h << 1)
            {
                for (var j = start; j < start + h; j++)
                {
                    var a = v[j];
                    var b = v[j + h];
                    v[j] = a + b;
                    v[j + h] = a - b;
                }
            }
        }
    }

    /// <summary>
    /// All levels of a contiguous block (a power of two, at least 2 <see cref="RowLength"/> for the
    /// vector paths): levels below <see cref="RowLength"/> inside each row, then the rest between rows.
    /// </summary>
    public static void TransformBlock(Span<double> block, SimdWidth width)
    {
        if (width == SimdWidth.Scalar || block.Length < 2 * RowLength)
        {
            TransformScalar(block);
            return;
        }

        if (width == SimdWidth.Vector512)
        {
            WithinRows512(block);
        }
        else
        {
            WithinRows256(block);
        }

        BetweenRows(block, block.Length / RowLength, RowLength, width);
    }

    public static void BetweenRows(Span<double> tile, int rowCount, int rowLength, SimdWidth width)
    {
        switch (width)
        {
            case SimdWidth.Vector512:
                BetweenRows<Rows512>(tile, rowCount, rowLength);
                break;
            case SimdWidth.Vector256:
                BetweenRows<Rows256>(tile, rowCount, rowLength);
                break;
            default:
                BetweenRows<RowsScalar>(tile, rowCount, rowLength);
                break;
        }
    }

    /// <summary>
    /// The levels between rows of a tile of <paramref name="rowCount"/> rows of <paramref name="rowLength"/>
    /// doubles, a multiple of <see cref="RowLength"/> (row r pairs with row r + h for h = 1, 2, ..., rowCount / 2), three levels per sweep
    /// where it can, so each element is loaded and stored once per three levels.
    /// </summary>
    private static void BetweenRows<TRows>(Span<double> tile, int rowCount, int rowLength)
        where TRows : struct, IRowButterflies
    {
        ref var t = ref MemoryMarshal.GetReference(tile);
        var h = 1;
        for (; 8 * h <= rowCount; h <<= 3)
        {
            for (var start = 0; start < rowCount; start += 8 * h)
            {
                for (var i = start * rowLength; i < (start + h) * rowLength; i += RowLength)
                {
                    TRows.Radix8(ref Unsafe.Add(ref t, i), h * rowLength);
                }
            }
        }

        for (; 4 * h <= rowCount; h <<= 2)
        {
            for (var start = 0; start < rowCount; start += 4 * h)
            {
                for (var i = start * rowLength; i < (start + h) * rowLength; i += RowLength)
                {
                    TRows.Radix4(ref Unsafe.Add(ref t, i), h * rowLength);
                }
            }
        }

        if (h < rowCount)
        {
            for (var i = 0; i < h * rowLength; i += RowLength)
            {
                TRows.Radix2(ref Unsafe.Add(ref t, i), h * rowLength);
            }
        }
    }

    /// <summary>The scalar butterflies, the reference's expressions.</summary>
    private readonly struct RowsScalar : IRowButterflies
    {
        public static void Radix8(ref double a, int distance)
        {
            Radix4(ref a, distance);
            Radix4(ref Unsafe.Add(ref a, 4 * distance), distance);
            for (var k = 0; k < 4; k++)
            {
                Radix2(ref Unsafe.Add(ref a, k * distance), 4 * distance);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Radix2(ref double a, int distance)
        {
            for (var c = 0; c < RowLength; c++)
            {
                var x = Unsafe.Add(ref a, c);
                var y = Unsafe.Add(ref a, distance + c);
                Unsafe.Add(ref a, c) = x + y;
                Unsafe.Add(ref a, distance + c) = x - y;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]

        public static void Radix4(ref double a, int distance)
        {
            for (var c = 0; c < RowLength; c++)
            {
                var x0 = Unsafe.Add(ref a, c);
                var x1 = Unsafe.Add(ref a, distance + c);
                var x2 = Unsafe.Add(ref a, (2 * distance) + c);
                var x3 = Unsafe.Add(ref a, (3 * distance) + c);
                var s0 = x0 + x1;
                var d0 = x0 - x1;
                var s1 = x2 + x3;
                var d1 = x2 - x3;
                Unsafe.Add(ref a, c) = s0 + s1;
                Unsafe.Add(ref a, distance + c) = d0 + d1;
                Unsafe.Add(ref a, (2 * distance) + c) = s0 - s1;
                Unsafe.Add(ref a, (3 * distance) + c) = d0 - d1;
            }
        }
    }
}
