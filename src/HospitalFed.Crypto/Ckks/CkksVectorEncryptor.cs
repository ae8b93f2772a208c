using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Encrypts a vector of any length chunk by chunk, handing each serialised ciphertext to a sink
/// (for example a gRPC stream writer) and reusing one ciphertext and one byte buffer: memory is
/// bounded by one chunk whatever the length. With a public key and parameters that set
/// <see cref="CkksParameters.CompressionBits"/>, each chunk is a
/// <see cref="CkksObjectKind.CompressedCiphertext"/> (c0 encrypted straight into coefficient form
/// and rounded, c1 in full), the same bytes <see cref="CkksSerializer"/> writes for that ciphertext.
/// Not thread-safe.
/// </summary>
public sealed class CkksVectorEncryptor
{
    private readonly CkksEncryptor _encryptor;
    private readonly CkksCiphertext _ciphertext;
    private readonly double[] _widened;
    private readonly byte[] _buffer;
    private readonly bool _compressed;

    /// <summary>Wraps <paramref name="encryptor"/> for <paramref name="context"/>.</summary>
    public CkksVectorEncryptor(CkksContext context, CkksEncryptor encryptor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(encryptor);
        context.EnsureOwns(encryptor.Context, nameof(encryptor));
        Context = context;
        _encryptor = encryptor;
        _ciphertext = new CkksCiphertext(context);
        _widened = new double[context.Parameters.ValuesPerCiphertext];
        // a full (unseeded) ciphertext is the largest serialisation
        _compressed = encryptor.IsPublicKey && context.CiphertextCompressor is not null;
        _buffer = new byte[_compressed
            ? CkksCompressedFormat.CiphertextSize(context)
            : CkksWireFormat.Size(context, context.Width + 1, context.CiphertextPrimeCount, false)];
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
        var c0 = _ciphertext.Data.AsSpan(0, Context.Width * _ciphertext.PolynomialLength);
        try
        {
            if (_compressed)
            {
                _encryptor.EncryptPublicCoefficients(values, c0, _ciphertext.C1);
            }
            else
            {
                _encryptor.Encrypt(values, _ciphertext);
            }
        }
        catch (ArgumentException ex) when (ex.ParamName == "values")
        {
            throw new ArgumentException($"chunk {chunkIndex}: {ex.Message}", nameof(values), ex);
        }

        var written = _compressed
            ? CkksCompressedFormat.WriteCiphertext(Context, c0, _ciphertext.C1, _buffer)
            : CkksSerializer.Write(_ciphertext, _buffer);
        sink(chunkIndex, _buffer.AsSpan(0, written));
    }
}
