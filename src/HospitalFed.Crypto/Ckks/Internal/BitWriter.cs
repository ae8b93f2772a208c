using System.Buffers.Binary;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>Writes values of a few to 61 bits each as one little-endian bit stream (least significant bit first).</summary>
internal ref struct BitWriter
{
    private readonly Span<byte> _destination;
    private int _position;
    private ulong _accumulator;
    private int _bits;

    public BitWriter(Span<byte> destination)
    {
        _destination = destination;
    }

    public void Write(ulong value, int bits)
    {
        _accumulator |= value << _bits;
        var total = _bits + bits;
        if (total >= 64)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_destination[_position..], _accumulator);
            _position += 8;
            _accumulator = value >> (64 - _bits); // _bits >= 3 here, so the shift is below 64
            _bits = total - 64;
        }
        else
        {
            _bits = total;
        }
    }

    public void WriteAll(ReadOnlySpan<ulong> values, int bits)
    {
        foreach (var value in values)
        {
            Write(value, bits);
        }
    }

    /// <summary>Writes the last partial word (zero-padded to a byte) and returns the bytes written.</summary>
    public int Flush()
    {
        while (_bits > 0)
        {
            _destination[_position++] = (byte)_accumulator;
            _accumulator >>= 8;
            _bits = System.Math.Max(0, _bits - 8);
        }

        return _position;
    }

    public static int ByteCount(long totalBits) => checked((int)((totalBits + 7) / 8));
}
