using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// AES-256 in counter mode as an extendable-output function: ECB over consecutive counter blocks
/// (NIST SP 800-38A §6.5), which the BCL runs with AES-NI. Used to expand public seeds (the `a`
/// of seeded ciphertexts, common random polynomials) and as the bulk cryptographic generator.
/// </summary>
internal sealed class AesCtrStream : IDisposable
{
    public const int KeySize = 32;
    private const int BlockSize = 16;
    private const int ChunkBlocks = 1024;

    private readonly Aes _aes;
    private readonly byte[] _leftover = new byte[BlockSize];
    private int _leftoverCount;
    private ulong _counter;

    public AesCtrStream(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"AES-CTR keys are {KeySize} bytes; got {key.Length}", nameof(key));
        }

        _aes = Aes.Create();
        _aes.Key = key.ToArray();
    }

    public void Fill(Span<byte> destination)
    {
        var fromLeftover = System.Math.Min(_leftoverCount, destination.Length);
        _leftover.AsSpan(BlockSize - _leftoverCount, fromLeftover).CopyTo(destination);
        _leftoverCount -= fromLeftover;
        destination = destination[fromLeftover..];

        while (destination.Length >= BlockSize)
        {
            var blocks = System.Math.Min(destination.Length / BlockSize, ChunkBlocks);
            var chunk = destination[..(blocks * BlockSize)];
            WriteCounters(chunk, blocks);
            _aes.EncryptEcb(chunk, chunk, PaddingMode.None);
            destination = destination[chunk.Length..];
        }

        if (!destination.IsEmpty)
        {
            WriteCounters(_leftover, 1);
            _aes.EncryptEcb(_leftover, _leftover, PaddingMode.None);
            _leftover.AsSpan(0, destination.Length).CopyTo(destination);
            _leftoverCount = BlockSize - destination.Length;
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_leftover);
        _aes.Dispose();
    }

    private void WriteCounters(Span<byte> blocks, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var block = blocks.Slice(i * BlockSize, BlockSize);
            BinaryPrimitives.WriteUInt64BigEndian(block, 0);
            BinaryPrimitives.WriteUInt64BigEndian(block[8..], _counter++);
        }
    }
}
