using System.Buffers.Binary;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>Reads the bit stream <see cref="BitWriter"/> writes; the caller checks the exact length first.</summary>
internal ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _source;
    private int _position;
    private ulong _accumulator;
    private int _bits;

    public BitReader(ReadOnlySpan<byte> source)
    {
        _source = source;
    }

    public ulong Read(int bits)
    {
        var mask = (1UL << bits) - 1;
        if (_bits >= bits)
        {
            var value = _accumulator & mask;
            _accumulator >>= bits;
            _bits -= bits;
            return value;
        }

        var available = System.Math.Min(8, _source.Length - _position);
        if (available * 8 + _bits < bits)
        {
            throw new FormatException("serialised data ends inside a coefficient");
        }

        ulong next;
        if (available == 8)
        {
            next = BinaryPrimitives.ReadUInt64LittleEndian(_source[_position..]);
        }
        else
        {
            Span<byte> tail = stackalloc byte[8];
            tail.Clear();
            _source.Slice(_position, available).CopyTo(tail);
            next = BinaryPrimitives.ReadUInt64LittleEndian(tail);
        }

        _position += available;
        var result = (_accumulator | (next << _bits)) & mask;
        var consumed = bits - _bits;
        _accumulator = next >> consumed;
        _bits = (available * 8) - consumed;
        return result;
    }

    /// <summary>Throws unless every byte was read and the padding bits are zero (one encoding per value).</summary>
    public readonly void EnsureFinished()
    {
        if (_position != _source.Length || _bits >= 8 || (_bits > 0 && _accumulator != 0))
        {
            throw new FormatException("serialised data has trailing bytes or non-zero padding");
        }
    }
}
