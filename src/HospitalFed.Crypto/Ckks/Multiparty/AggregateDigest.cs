using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// SHA-256 over the serialised chunks of an encrypted vector, each length-prefixed after a
/// domain label: what contributions and decryption shares are signed against, so a share made
/// for one aggregate is useless for any other.
/// </summary>
public static class AggregateDigest
{
    /// <summary>Size of a digest in bytes.</summary>
    public const int Size = 32;

    private static ReadOnlySpan<byte> Label => "hfed/ckks/aggregate/v1"u8;

    /// <summary>The digest of the chunks, in order.</summary>
    public static byte[] Compute(IEnumerable<CkksCiphertext> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        using var hash = Begin();
        long count = 0;
        foreach (var chunk in chunks)
        {
            var size = CkksSerializer.GetSize(chunk);
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                CkksSerializer.Write(chunk, buffer);
                AppendChunk(hash, buffer.AsSpan(0, size));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            count++;
        }

        return Finish(hash, count);
    }

    /// <summary>
    /// The digest of chunks already serialised, in order, hashed as given: equal to
    /// <see cref="Compute(IEnumerable{CkksCiphertext})"/> of their parsed ciphertexts, since the
    /// serialisation is canonical (parsing and writing again gives the same bytes), without the
    /// parse and re-serialisation. Callers still parse the bytes before using them.
    /// </summary>
    public static byte[] Compute(IEnumerable<ReadOnlyMemory<byte>> serializedChunks)
    {
        ArgumentNullException.ThrowIfNull(serializedChunks);
        using var hash = Begin();
        long count = 0;
        foreach (var chunk in serializedChunks)
        {
            AppendChunk(hash, chunk.Span);
            count++;
        }

        return Finish(hash, count);
    }

    /// <summary>The digest of a single ciphertext.</summary>
    public static byte[] Compute(CkksCiphertext ciphertext) => Compute([ciphertext]);

    private static IncrementalHash Begin()
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Label);
        return hash;
    }

    private static void AppendChunk(IncrementalHash hash, ReadOnlySpan<byte> chunk)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(length, chunk.Length);
        hash.AppendData(length);
        hash.AppendData(chunk);
    }

    private static byte[] Finish(IncrementalHash hash, long count)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(length, count);
        hash.AppendData(length);
        return hash.GetHashAndReset();
    }
}
