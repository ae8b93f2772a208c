namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Decrypts an encrypted vector chunk by chunk into a caller-provided span (single-key; the
/// collective path decrypts each chunk with its aggregated share through the multiparty
/// protocol, using <see cref="CkksChunking.ChunkRange"/> the same way). Not thread-safe.
/// </summary>
public sealed class CkksVectorDecryptor
{
    private readonly CkksDecryptor _decryptor;
    private readonly CkksParameters _parameters;
    private readonly CkksContext _context;
    private CkksCiphertext? _scratch;

    /// <summary>Wraps <paramref name="decryptor"/>.</summary>
    public CkksVectorDecryptor(CkksContext context, CkksDecryptor decryptor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(decryptor);
        _decryptor = decryptor;
        _context = context;
        _parameters = context.Parameters;
    }

    /// <summary>Parses a serialised chunk (full, seeded or compressed) and decrypts it into its place in <paramref name="vector"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid ciphertext of this context.</exception>
    public void DecryptChunk(ReadOnlySpan<byte> ciphertext, long chunkIndex, Span<double> vector)
    {
        var scratch = _scratch ??= new CkksCiphertext(_context);
        CkksSerializer.ReadCiphertext(ciphertext, scratch);
        DecryptChunk(scratch, chunkIndex, vector);
    }

    /// <summary>Decrypts chunk <paramref name="chunkIndex"/> into its place in <paramref name="vector"/>.</summary>
    public void DecryptChunk(CkksCiphertext ciphertext, long chunkIndex, Span<double> vector)
    {
        var (start, count) = CkksChunking.ChunkRange(_parameters, vector.Length, chunkIndex);
        _decryptor.Decrypt(ciphertext, vector.Slice((int)start, count));
    }

    /// <summary>Decrypts every chunk into <paramref name="vector"/>, whose length is the vector's.</summary>
    /// <exception cref="ArgumentException">The chunk count does not match the vector length.</exception>
    public void Decrypt(IReadOnlyList<CkksCiphertext> chunks, Span<double> vector)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var expected = CkksChunking.ChunkCount(_parameters, vector.Length);
        if (chunks.Count != expected)
        {
            throw new ArgumentException($"a {vector.Length}-value vector has {expected} chunks; got {chunks.Count}", nameof(chunks));
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            DecryptChunk(chunks[i], i, vector);
        }
    }
}
