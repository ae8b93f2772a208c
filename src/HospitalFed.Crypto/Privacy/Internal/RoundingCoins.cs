using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks;

namespace HospitalFed.Crypto.Privacy.Internal;

/// <summary>
/// The rounding coins of one encoding: 16-bit words of AES-128 in counter mode (NIST SP 800-38A
/// §6.5) under a fresh 16-byte key drawn from the caller's <see cref="IRandomSource"/>, expanded
/// 64 KiB at a time. One draw from the source per encoding instead of one per coordinate, and the
/// bulk expansion runs at AES-NI speed; the coins are as good as the source's randomness and the
/// AES pseudorandom permutation (the counter never repeats within an encoding: at most 2^64 blocks).
/// The buffer is pooled and zeroed on dispose, and the key lives only inside the AES object.
/// Not thread-safe.
/// </summary>
internal sealed class RoundingCoins : IDisposable
{
    /// <summary>Coins per refill, also the most one <see cref="Take"/> can return: 32 Ki coins = 4 Ki AES blocks = 64 KiB.</summary>
    public const int BufferWords = 32 * 1024;

    private const int KeySize = 16;
    private readonly Aes _aes = Aes.Create();
    private readonly ushort[] _buffer = ArrayPool<ushort>.Shared.Rent(BufferWords);
    private ulong _nextBlock;
    private int _position = BufferWords;
    private bool _disposed;

    public RoundingCoins(IRandomSource source)
    {
        Span<byte> key = stackalloc byte[KeySize];
        try
        {
            source.Fill(key);
            _aes.SetKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The next <paramref name="count"/> coins (at most <see cref="BufferWords"/>); valid until the next call.</summary>
    public ReadOnlySpan<ushort> Take(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count > BufferWords - _position)
        {
            Refill();
        }

        var coins = _buffer.AsSpan(_position, count);
        _position += count;
        return coins;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_buffer.AsSpan()));
        ArrayPool<ushort>.Shared.Return(_buffer);
        _aes.Dispose();
    }

    private void Refill()
    {
        // Counter block m: m as a little-endian 64-bit integer, then eight zero bytes; encrypted in place.
        var blocks = MemoryMarshal.Cast<ushort, ulong>(_buffer.AsSpan(0, BufferWords));
        for (var i = 0; i < blocks.Length; i += 2)
        {
            blocks[i] = _nextBlock++;
            blocks[i + 1] = 0;
        }

        var bytes = MemoryMarshal.AsBytes(_buffer.AsSpan(0, BufferWords));
        _aes.EncryptEcb(bytes, bytes, PaddingMode.None);
        _position = 0;
    }
}
