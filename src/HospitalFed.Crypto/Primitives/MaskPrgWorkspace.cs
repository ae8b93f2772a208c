using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace HospitalFed.Crypto.Primitives;

/// <summary>
/// Scratch buffers for <see cref="MaskPrg"/>: counter blocks and keystream, 256 KiB each. One
/// workspace serves any number of PRGs used one after another on one thread, so a party that
/// expands hundreds of masks (an aggregator removing pairwise masks of dropped sites) needs
/// 512 KiB of scratch, not 512 KiB per mask. Zeroes the keystream on dispose. Not thread-safe.
/// </summary>
public sealed class MaskPrgWorkspace : IDisposable
{
    // 16 Ki blocks = 256 KiB per EncryptEcb call: large enough to amortise the per-call cost
    // of the one-shot API (about 2 us), small enough to stay in L2 with its counters.
    internal const int BufferBlocks = 16 * 1024;

    private bool _disposed;

    internal ulong[] Counters { get; } = new ulong[BufferBlocks * 2];

    internal uint[] Keystream { get; } = new uint[BufferBlocks * 4];

    /// <summary>The PRG whose counters the buffer holds, and its first block; any other needs a refill.</summary>
    internal (MaskPrg? Owner, ulong FirstBlock) Filled { get; set; }

    /// <summary>Zeroes the keystream buffer. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(Keystream.AsSpan()));
        Filled = default;
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
