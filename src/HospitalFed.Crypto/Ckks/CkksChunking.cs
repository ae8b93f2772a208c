namespace HospitalFed.Crypto.Ckks;

/// <summary>How a vector of any length maps onto ciphertexts: chunk i holds values [i·C, min((i+1)·C, length)) with C = ValuesPerCiphertext.</summary>
public static class CkksChunking
{
    /// <summary>Ciphertexts needed for <paramref name="length"/> values (at least one, so an empty vector still has an aggregate).</summary>
    public static long ChunkCount(CkksParameters parameters, long length)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var capacity = parameters.ValuesPerCiphertext;
        return System.Math.Max(1, (length + capacity - 1) / capacity);
    }

    /// <summary>The start offset and count of chunk <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the vector.</exception>
    public static (long Start, int Count) ChunkRange(CkksParameters parameters, long length, long index)
    {
        var chunks = ChunkCount(parameters, length);
        if (index < 0 || index >= chunks)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"chunk {index} is outside a {length}-value vector of {chunks} chunks");
        }

        var start = index * parameters.ValuesPerCiphertext;
        return (start, (int)System.Math.Min(parameters.ValuesPerCiphertext, length - start));
    }
}
