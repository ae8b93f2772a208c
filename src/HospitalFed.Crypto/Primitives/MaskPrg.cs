using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace HospitalFed.Crypto.Primitives;

/// <summary>
/// The mask PRG: AES-128 in counter mode expanding a 32-byte seed into a stream of words of
/// Z_2^32, with random access by word index so masks can be applied chunk by chunk.
/// </summary>
/// <remarks>
/// <para>Layout: the AES-128 key is seed[0..16]; counter block m is seed[16..32] with its last
/// eight bytes, read as a little-endian 64-bit integer, increased by m modulo 2^64. Word w of
/// the stream is bytes [4(w mod 4), 4(w mod 4) + 4) of the encryption of block floor(w / 4),
/// read little-endian. Distinct m below 2^64 give distinct blocks, so this is CTR mode
/// (NIST SP 800-38A section 6.5) and the stream is indistinguishable from uniform as long as
/// AES-128 is a PRP; words are uniform on Z_2^32 because 2^32 divides 2^128.</para>
/// <para>Speed: counter blocks are built in a buffer by one 256-bit vector add per two blocks
/// and encrypted with one <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>
/// call per buffer (AES-NI through OpenSSL), then added into the target with
/// <see cref="TensorPrimitives"/>.</para>
/// </remarks>
public sealed class MaskPrg : IDisposable
{
    /// <summary>The seed size in bytes: a 16-byte AES key and a 16-byte initial counter block.</summary>
    public const int SeedSize = 32;

    private const int WordsPerBlock = 4;
    private const int BufferBlocks = 4096; // 64 KiB of keystream per EncryptEcb call: amortises the call, stays in L2

    private readonly Aes _aes;
    private readonly ulong[] _counters = new ulong[BufferBlocks * 2];
    private readonly uint[] _keystream = new uint[BufferBlocks * WordsPerBlock];
    private ulong _firstBlock;
    private bool _disposed;

    /// <summary>Creates the PRG for <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The seed is not <see cref="SeedSize"/> bytes.</exception>
    public MaskPrg(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"a mask PRG seed is {SeedSize} bytes; got {seed.Length}", nameof(seed));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the mask PRG assumes a little-endian platform");
        }

        _aes = Aes.Create();
        _aes.SetKey(seed[..16]);
        var high = BinaryPrimitives.ReadUInt64LittleEndian(seed.Slice(16, 8));
        var low = BinaryPrimitives.ReadUInt64LittleEndian(seed.Slice(24, 8));
        for (var m = 0; m < BufferBlocks; m++)
        {
            _counters[2 * m] = high;
            _counters[(2 * m) + 1] = unchecked(low + (ulong)m);
        }
    }

    /// <summary>Writes words [<paramref name="wordOffset"/>, + destination length) of the stream.</summary>
    public void Generate(long wordOffset, Span<uint> destination) => Apply(wordOffset, destination, Combine.Overwrite);

    /// <summary>Adds words [<paramref name="wordOffset"/>, + target length) of the stream into <paramref name="target"/>, modulo 2^32.</summary>
    public void AddTo(long wordOffset, Span<uint> target) => Apply(wordOffset, target, Combine.Add);

    /// <summary>Subtracts words [<paramref name="wordOffset"/>, + target length) of the stream from <paramref name="target"/>, modulo 2^32.</summary>
    public void SubtractFrom(long wordOffset, Span<uint> target) => Apply(wordOffset, target, Combine.Subtract);

    /// <summary>Zeroes the keystream buffer and releases the AES key.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_keystream.AsSpan()));
        _aes.Dispose();
    }

    private void Apply(long wordOffset, Span<uint> target, Combine combine)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(wordOffset);
        var position = wordOffset;
        while (!target.IsEmpty)
        {
            var block = (ulong)(position / WordsPerBlock);
            var skip = (int)(position % WordsPerBlock);
            var blocks = (int)Math.Min(BufferBlocks, ((long)skip + target.Length + WordsPerBlock - 1) / WordsPerBlock);
            MoveCountersTo(block);
            var counterBytes = MemoryMarshal.AsBytes(_counters.AsSpan(0, blocks * 2));
            _aes.EncryptEcb(counterBytes, MemoryMarshal.AsBytes(_keystream.AsSpan(0, blocks * WordsPerBlock)), PaddingMode.None);
            var count = Math.Min(target.Length, (blocks * WordsPerBlock) - skip);
            var stream = _keystream.AsSpan(skip, count);
            var chunk = target[..count];
            switch (combine)
            {
                case Combine.Add:
                    TensorPrimitives.Add<uint>(chunk, stream, chunk);
                    break;
                case Combine.Subtract:
                    TensorPrimitives.Subtract<uint>(chunk, stream, chunk);
                    break;
                default:
                    stream.CopyTo(chunk);
                    break;
            }

            target = target[count..];
            position += count;
        }
    }

    private void MoveCountersTo(ulong block)
    {
        var delta = unchecked(block - _firstBlock);
        if (delta == 0)
        {
            return;
        }

        _firstBlock = block;

        // Each block is (high, low) as two ulongs; adding (0, delta) to every pair moves the whole
        // buffer from block b to block b + delta (mod 2^64 in the low half, as the layout says).
        var words = _counters.AsSpan();
        var step = Vector256.Create(0UL, delta, 0UL, delta);
        var vectors = MemoryMarshal.Cast<ulong, Vector256<ulong>>(words);
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] += step;
        }

        for (var i = vectors.Length * 4; i < words.Length; i += 2)
        {
            words[i + 1] = unchecked(words[i + 1] + delta);
        }
    }

    private enum Combine
    {
        Overwrite,
        Add,
        Subtract,
    }
}
