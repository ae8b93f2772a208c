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
/// <para>Speed: counter blocks are built in a buffer, two blocks per 256-bit vector store,
/// and encrypted with one <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>
/// call per buffer (AES-NI through OpenSSL), then added into the target with
/// <see cref="TensorPrimitives"/>.</para>
/// </remarks>
public sealed class MaskPrg : IDisposable
{
    /// <summary>The seed size in bytes: a 16-byte AES key and a 16-byte initial counter block.</summary>
    public const int SeedSize = 32;

    private const int WordsPerBlock = 4;

    private readonly Aes _aes;
    private readonly ulong _high;
    private readonly ulong _low;
    private MaskPrgWorkspace? _ownWorkspace;
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
        _high = BinaryPrimitives.ReadUInt64LittleEndian(seed.Slice(16, 8));
        _low = BinaryPrimitives.ReadUInt64LittleEndian(seed.Slice(24, 8));
    }

    /// <summary>Writes words [<paramref name="wordOffset"/>, + destination length) of the stream.</summary>
    /// <param name="wordOffset">The index of the first word.</param>
    /// <param name="destination">Where the words go.</param>
    /// <param name="workspace">Scratch to use; by default the PRG allocates its own on first use.</param>
    public void Generate(long wordOffset, Span<uint> destination, MaskPrgWorkspace? workspace = null) => Apply(wordOffset, destination, Combine.Overwrite, workspace);

    /// <summary>Adds words [<paramref name="wordOffset"/>, + target length) of the stream into <paramref name="target"/>, modulo 2^32.</summary>
    /// <param name="wordOffset">The index of the first word.</param>
    /// <param name="target">The vector to mask.</param>
    /// <param name="workspace">Scratch to use; by default the PRG allocates its own on first use.</param>
    public void AddTo(long wordOffset, Span<uint> target, MaskPrgWorkspace? workspace = null) => Apply(wordOffset, target, Combine.Add, workspace);

    /// <summary>Subtracts words [<paramref name="wordOffset"/>, + target length) of the stream from <paramref name="target"/>, modulo 2^32.</summary>
    /// <param name="wordOffset">The index of the first word.</param>
    /// <param name="target">The vector to unmask.</param>
    /// <param name="workspace">Scratch to use; by default the PRG allocates its own on first use.</param>
    public void SubtractFrom(long wordOffset, Span<uint> target, MaskPrgWorkspace? workspace = null) => Apply(wordOffset, target, Combine.Subtract, workspace);

    /// <summary>Releases the AES key and zeroes the PRG's own workspace, if it made one.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ownWorkspace?.Dispose();
        _aes.Dispose();
    }

    private void Apply(long wordOffset, Span<uint> target, Combine combine, MaskPrgWorkspace? workspace)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(wordOffset);
        workspace ??= _ownWorkspace ??= new MaskPrgWorkspace();
        workspace.ThrowIfDisposed();
        var position = wordOffset;
        while (!target.IsEmpty)
        {
            var block = (ulong)(position / WordsPerBlock);
            var skip = (int)(position % WordsPerBlock);
            var blocks = (int)Math.Min(MaskPrgWorkspace.BufferBlocks, ((long)skip + target.Length + WordsPerBlock - 1) / WordsPerBlock);
            FillCounters(workspace, block);
            var counterBytes = MemoryMarshal.AsBytes(workspace.Counters.AsSpan(0, blocks * 2));
            _aes.EncryptEcb(counterBytes, MemoryMarshal.AsBytes(workspace.Keystream.AsSpan(0, blocks * WordsPerBlock)), PaddingMode.None);
            var count = Math.Min(target.Length, (blocks * WordsPerBlock) - skip);
            var stream = workspace.Keystream.AsSpan(skip, count);
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

    private void FillCounters(MaskPrgWorkspace workspace, ulong block)
    {
        if (workspace.Filled == (this, block))
        {
            return;
        }

        // Block m is (high, low + m) as two little-endian ulongs; two blocks per 256-bit vector,
        // each vector two blocks on from the previous one.
        var first = unchecked(_low + block);
        var next = Vector256.Create(_high, first, _high, unchecked(first + 1));
        var step = Vector256.Create(0UL, 2UL, 0UL, 2UL);
        var vectors = MemoryMarshal.Cast<ulong, Vector256<ulong>>(workspace.Counters.AsSpan());
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = next;
            next += step;
        }

        workspace.Filled = (this, block);
    }

    private enum Combine
    {
        Overwrite,
        Add,
        Subtract,
    }
}
