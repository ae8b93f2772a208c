namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Encrypts a vector of any length chunk by chunk, handing each serialised ciphertext to a sink
/// (for example a gRPC stream writer) and reusing one ciphertext and one byte buffer: memory is
/// bounded by one chunk whatever the length. Not thread-safe.
/// </summary>
public sealed class CkksVectorEncryptor
{
    private readonly CkksEncryptor _encryptor;
    private readonly CkksCiphertext _ciphertext;
    private readonly double[] _widened;
    private readonly byte[] _buffer;

    /// <summary>Wraps <paramref name="encryptor"/> for <paramref name="context"/>.</summary>
    public CkksVectorEncryptor(CkksContext context, CkksEncryptor encryptor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(encryptor);
        Context = context;
        _encryptor = encryptor;
        _ciphertext = new CkksCiphertext(context);
        _widened = new double[context.Parameters.ValuesPerCiphertext];
        // a full (unseeded) ciphertext is the largest serialisation
        _buffer = new byte[CkksSerializer.GetSize(_ciphertext)];
    }

    /// <summary>The context.</summary>
    public CkksContext Context { get; }

    /// <summary>Encrypts every chunk of <paramref name="vector"/> in order.</summary>
    /// <exception cref="ArgumentException">A value is not finite or too large (the message names its offset).</exception>
    public void Encrypt(ReadOnlySpan<double> vector, CkksChunkSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var chunks = CkksChunking.ChunkCount(Context.Parameters, vector.Length);
        for (long i = 0; i < chunks; i++)
        {
            var (start, count) = CkksChunking.ChunkRange(Context.Parameters, vector.Length, i);
            EncryptChunk(vector.Slice((int)start, count), i, sink);
        }
    }

    /// <summary>Encrypts every chunk of a float32 vector (model weights), widening one chunk at a time.</summary>
    public void Encrypt(ReadOnlySpan<float> vector, CkksChunkSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var chunks = CkksChunking.ChunkCount(Context.Parameters, vector.Length);
        for (long i = 0; i < chunks; i++)
        {
            var (start, count) = CkksChunking.ChunkRange(Context.Parameters, vector.Length, i);
            var widened = _widened.AsSpan(0, count);
            for (var j = 0; j < count; j++)
            {
                widened[j] = vector[(int)start + j];
            }

            EncryptChunk(widened, i, sink);
        }
    }

    /// <summary>Encrypts one chunk (at most ValuesPerCiphertext values) as chunk <paramref name="chunkIndex"/>.</summary>
    public void EncryptChunk(ReadOnlySpan<double> values, long chunkIndex, CkksChunkSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        try
        {
            _encryptor.Encrypt(values, _ciphertext);
        }
        catch (ArgumentException ex) when (ex.ParamName == "values")
        {
            throw new ArgumentException($"chunk {chunkIndex}: {ex.Message}", nameof(values), ex);
        }

        var written = CkksSerializer.Write(_ciphertext, _buffer);
        sink(chunkIndex, _buffer.AsSpan(0, written));
    }
}
