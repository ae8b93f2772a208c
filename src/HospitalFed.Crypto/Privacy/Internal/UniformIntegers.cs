using System.Numerics;
using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// Uniform integers drawn from an <see cref="IRandomSource"/> through a private buffer, so one
/// sample does not cost one call into the source. Not thread-safe; the buffer is zeroed on dispose
/// because it holds the randomness that determines a site's secret noise.
/// </summary>
internal sealed class UniformIntegers : IDisposable
{
    // 64 KiB: a discrete Gaussian sample takes a few hundred bytes, and every refill from
    // CryptographicRandomSource costs a system call and an AES key schedule; going from 8 KiB
    // to 64 KiB cut the 1M-coordinate DP encode from about 400 ms to about 220 ms here.
    private const int BufferSize = 65536;

    private readonly IRandomSource _source;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _position = BufferSize;
    private ulong _bits;
    private int _bitCount;

    public UniformIntegers(IRandomSource source) => _source = source;

    /// <summary>One uniform bit.</summary>
    public bool NextBit()
    {
        if (_bitCount == 0)
        {
            _bits = NextUInt64();
            _bitCount = 64;
        }

        var bit = (_bits & 1) != 0;
        _bits >>= 1;
        _bitCount--;
        return bit;
    }

    /// <summary>64 uniform bits.</summary>
    public ulong NextUInt64()
    {
        if (_position > BufferSize - sizeof(ulong))
        {
            _source.Fill(_buffer);
            _position = 0;
        }

        var value = BitConverter.ToUInt64(_buffer, _position);
        _position += sizeof(ulong);
        return value;
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), exactly (Lemire's multiply-and-reject).</summary>
    public ulong NextBelow(ulong bound)
    {
        var high = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), bound, out low);
            }
        }

        return high;
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>) for any positive integer type, exactly (rejection).</summary>
    public T NextBelow<T>(T bound)
        where T : IBinaryInteger<T>
    {
        if (bound.GetShortestBitLength() <= 64)
        {
            return T.CreateTruncating(NextBelow(ulong.CreateTruncating(bound)));
        }

        var bits = (int)(bound - T.One).GetShortestBitLength();
        var bytes = new byte[(bits + 7) / 8];
        var topMask = (byte)(0xFF >> ((8 * bytes.Length) - bits));
        Span<byte> word = stackalloc byte[sizeof(ulong)];
        while (true)
        {
            for (var i = 0; i < bytes.Length; i += sizeof(ulong))
            {
                BitConverter.TryWriteBytes(word, NextUInt64());
                word[..Math.Min(sizeof(ulong), bytes.Length - i)].CopyTo(bytes.AsSpan(i));
            }

            bytes[^1] &= topMask;
            var candidate = T.ReadLittleEndian(bytes, isUnsigned: true);
            if (candidate < bound)
            {
                return candidate;
            }
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _bits = 0;
        _position = BufferSize;
    }
}
