using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// The cache-blocked schedule of H D x for d' = 2^L. Pass one loads x block by block (2^12
/// doubles, 32 KiB, inside L1), applies the signs D and runs levels 0..11 there. The levels left
/// run in groups of at most nine on tiles: for each <see cref="TileColumns"/> columns, the 2^g rows
/// of a group (at most 2^9 x 256 bytes, inside L2) are copied out of the vector, transformed, and
/// either copied back or, for the last group, handed to a sink that finishes them (normalise and
/// store, or round) while they are still in cache. d' = 2^20 takes two passes over memory.
/// Copying tiles out also sidesteps the cache-set conflicts of a power-of-two stride, and the next
/// tile's rows are prefetched, since the hardware prefetchers do not follow such a stride.
/// </summary>
internal sealed partial class BlockedRotation
{
    /// <summary>log2 of the block of pass one.</summary>
    public const int BlockLog = 12;

    /// <summary>Most levels one tile group runs: 2^9 rows of 64 bytes = 32 KiB.</summary>
    public const int MaxGroupLog = 9;

    /// <summary>
    /// Doubles per tile row: four cache lines of consecutive columns copied together (one line a
    /// row thrashed the cache sets when cleared). A full tile, 2^9 x 32 values, fits one refill of
    /// <see cref="RoundingCoins"/>.
    /// </summary>
    public const int TileColumns = 32;

    private const int Lanes = WalshHadamard.RowLength;
    private readonly int _blockLength;
    private readonly (int Low, int High)[] _groups;

    public BlockedRotation(int paddedDimension, uint[] signBits)
    {
        PaddedDimension = paddedDimension;
        SignBits = signBits;
        var levels = BitOperations.Log2((uint)paddedDimension);
        _blockLength = 1 << Math.Min(levels, BlockLog);
        var remaining = levels - Math.Min(levels, BlockLog);
        var count = (remaining + MaxGroupLog - 1) / MaxGroupLog;
        _groups = new (int, int)[count];
        for (int g = 0, low = Math.Min(levels, BlockLog); g < count; g++)
        {
            var size = (remaining + count - g - 1) / (count - g);
            _groups[g] = (low, low + size);
            low += size;
            remaining -= size;
        }
    }

    public int PaddedDimension { get; }

    /// <summary>Bit i of word i / 32 set means coordinate i's sign is flipped.</summary>
    public uint[] SignBits { get; }

    /// <summary>
    /// Pass one: writes D x (zero beyond x) to <paramref name="v"/> (length d') and runs the block
    /// levels. Returns sum x_i^2, accumulated in a fixed order for every width (eight running sums
    /// by index mod 8, added in lane order), so the result does not depend on the width.
    /// </summary>
    public double LoadAndTransformBlocks(ReadOnlySpan<float> x, Span<double> v, SimdWidth width)
    {
        Span<double> sums = stackalloc double[Lanes];
        sums.Clear();
        for (var start = 0; start < PaddedDimension; start += _blockLength)
        {
            var block = v.Slice(start, _blockLength);
            LoadSigned(x, start, block, sums, width);
            WalshHadamard.TransformBlock(block, width);
        }

        var total = 0.0;
        foreach (var sum in sums)
        {
            total += sum;
        }

        return total;
    }

    /// <summary>Pass one for a vector already in place (the inverse): the block levels of each block of <paramref name="v"/>.</summary>
    public void TransformBlocks(Span<double> v, SimdWidth width)
    {
        for (var start = 0; start < PaddedDimension; start += _blockLength)
        {
            WalshHadamard.TransformBlock(v.Slice(start, _blockLength), width);
        }
    }

    /// <summary>
    /// Pass two: the remaining levels of <paramref name="v"/>, then every finished value goes to
    /// <paramref name="sink"/> exactly once. With <paramref name="clearSource"/>, the last pass zeroes
    /// what it read from <paramref name="v"/>, which then holds nothing of the input.
    /// </summary>
    public void FinishTransform<TSink>(Span<double> v, ref TSink sink, bool clearSource, SimdWidth width)
        where TSink : ITileSink, allows ref struct
    {
        if (_groups.Length == 0)
        {
            for (var start = 0; start < PaddedDimension; start += _blockLength)
            {
                var block = v.Slice(start, _blockLength);
                sink.Consume(block, _blockLength, 1, start, _blockLength);
                if (clearSource)
                {
                    block.Clear();
                }
            }

            return;
        }

        var tileArray = ArrayPool<double>.Shared.Rent(TileColumns << MaxGroupLog);
        try
        {
            for (var g = 0; g < _groups.Length; g++)
            {
                var last = g == _groups.Length - 1;
                RunGroup(v, _groups[g], tileArray, ref sink, last, last && clearSource, width);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(tileArray.AsSpan()));
            ArrayPool<double>.Shared.Return(tileArray);
        }
    }

    private void RunGroup<TSink>(Span<double> v, (int Low, int High) group, double[] tileArray, ref TSink sink, bool toSink, bool clearSource, SimdWidth width)
        where TSink : ITileSink, allows ref struct
    {
        var rows = 1 << (group.High - group.Low);
        var stride = 1 << group.Low;
        const int columns = TileColumns;
        var tile = tileArray.AsSpan(0, rows * columns);
        ref var t = ref MemoryMarshal.GetReference(tile);
        ref var vector = ref MemoryMarshal.GetReference(v[..PaddedDimension]);
        for (var outer = 0; outer < PaddedDimension; outer += stride * rows)
        {
            for (var column = 0; column < stride; column += columns)
            {
                var start = outer + column;
                var next = column + columns < stride ? start + columns : -1;
                for (var r = 0; r < rows; r++)
                {
                    if (next >= 0)
                    {
                        Prefetch(ref Unsafe.Add(ref vector, next + (r * stride)), columns);
                    }

                    for (var c = 0; c < columns; c += Lanes)
                    {
                        ref var source = ref Row.At(ref Unsafe.Add(ref vector, start + (r * stride) + c));
                        Row.At(ref Unsafe.Add(ref t, (r * columns) + c)) = source;
                        if (clearSource)
                        {
                            source = default;
                        }
                    }
                }

                WalshHadamard.BetweenRows(tile, rows, columns, width);
                if (toSink)
                {
                    sink.Consume(tile, columns, rows, start, stride);
                }
                else
                {
                    for (var r = 0; r < rows; r++)
                    {
                        for (var c = 0; c < columns; c += Lanes)
                        {
                            Row.At(ref Unsafe.Add(ref vector, start + (r * stride) + c)) = Row.At(ref Unsafe.Add(ref t, (r * columns) + c));
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Asks for the next tile's row while this one is copied: rows sit a power-of-two stride apart,
    /// a pattern the hardware prefetchers do not follow, so without this every row is a cache miss.
    /// </summary>
    private static unsafe void Prefetch(ref double row, int length)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        for (var c = 0; c < length; c += Lanes)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref row, c)));
        }
    }
}
