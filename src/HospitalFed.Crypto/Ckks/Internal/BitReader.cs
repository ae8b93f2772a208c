using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// Reads the bit stream <see cref="BitWriter"/> writes; the caller checks the exact length first.
/// A value is read by one unaligned 64-bit load at its bit position (two for values of more than
/// 57 bits that straddle the load), so a read costs no refill bookkeeping and no branch on the
/// data; only the last few bytes of the stream go through the padded slow path.
/// </summary>
internal ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _source;
    private readonly long _totalBits;
    private long _position;

    public BitReader(ReadOnlySpan<byte> source)
    {
        _source = source;
        _totalBits = (long)source.Length * 8;
    }

    /// <summary>Reads one value of <paramref name="bits"/> bits (1 to 64).</summary>
    /// <exception cref="FormatException">The stream ends inside the value.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(int bits)
    {
        var start = (int)(_position >> 3);
        if (start + 16 <= _source.Length)
        {
            var value = Extract(_source, start, (int)(_position & 7), bits);
            _position += bits;
            return value;
        }

        return ReadNearEnd(bits);
    }

    /// <summary>Reads <paramref name="destination"/>.Length values of <paramref name="bits"/> bits each.</summary>
    /// <exception cref="FormatException">The stream ends inside a value.</exception>
    public void ReadAll(Span<ulong> destination, int bits)
    {
        var i = 0;
        // fast loop: every value whose 16-byte window lies inside the stream
        var safe = (((long)_source.Length - 16) * 8) - _position;
        var fast = safe < 0 ? 0 : (int)System.Math.Min(destination.Length, (safe / bits) + 1);
        var position = _position;
        for (; i < fast; i++)
        {
            destination[i] = Extract(_source, (int)(position >> 3), (int)(position & 7), bits);
            position += bits;
        }

        _position = position;
        for (; i < destination.Length; i++)
        {
            destination[i] = Read(bits);
        }
    }

    /// <summary>
    /// Reads values like <see cref="ReadAll"/> and returns the index of the first one not below
    /// <paramref name="bound"/> (less than 2^63), or -1 when all are; the check does not branch per value.
    /// </summary>
    public int ReadAllBelow(Span<ulong> destination, int bits, ulong bound)
    {
        ReadAll(destination, bits);
        ulong outOfRange = 0;
        foreach (var value in destination)
        {
            outOfRange |= ~(value - bound) >> 63; // 1 when value >= bound (both below 2^63)
        }

        return outOfRange == 0 ? -1 : FirstAtLeast(destination, bound);
    }

    /// <summary>Throws unless every byte was read and the padding bits are zero (one encoding per value).</summary>
    public readonly void EnsureFinished()
    {
        var used = (int)((_position + 7) >> 3);
        var tail = (int)(_position & 7);
        if (used != _source.Length || (tail != 0 && (_source[used - 1] >> tail) != 0))
        {
            throw new FormatException("serialised data has trailing bytes or non-zero padding");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Extract(ReadOnlySpan<byte> source, int start, int shift, int bits)
    {
        var low = BinaryPrimitives.ReadUInt64LittleEndian(source[start..]) >> shift;
        // bits past the first word (shift + bits > 64) come from the next one; a shift by 64 is
        // masked to 0 by the runtime, so compute it in two steps to get 0 for shift == 0
        var high = (BinaryPrimitives.ReadUInt64LittleEndian(source[(start + 8)..]) << 1) << (63 - shift);
        var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        return (low | high) & mask;
    }

    private static int FirstAtLeast(ReadOnlySpan<ulong> values, ulong bound)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] >= bound)
            {
                return i;
            }
        }

        return -1;
    }

    private ulong ReadNearEnd(int bits)
    {
        if (_position + bits > _totalBits)
        {
            throw new FormatException("serialised data ends inside a coefficient");
        }

        Span<byte> window = stackalloc byte[16];
        window.Clear();
        var start = (int)(_position >> 3);
        var available = System.Math.Min(16, _source.Length - start);
        _source.Slice(start, available).CopyTo(window);
        var value = Extract(window, 0, (int)(_position & 7), bits);
        _position += bits;
        return value;
    }
}
