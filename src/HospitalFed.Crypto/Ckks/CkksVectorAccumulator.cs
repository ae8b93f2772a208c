namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// The aggregator's running sum of encrypted vectors: each incoming serialised chunk is parsed
/// into one scratch ciphertext and added in place to that chunk's sum, so memory is the aggregate
/// itself, O(d), never n × d. Counts contributions per chunk so an incomplete sum is detectable.
/// Not thread-safe.
/// </summary>
public sealed class CkksVectorAccumulator
{
    private readonly CkksEvaluator _evaluator;
    private readonly CkksCiphertext _scratch;
    private readonly CkksCiphertext[] _sums;
    private readonly int[] _contributions;

    /// <summary>Creates an empty sum for vectors of <paramref name="length"/> values.</summary>
    public CkksVectorAccumulator(CkksContext context, long length)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        Length = length;
        var chunks = CkksChunking.ChunkCount(context.Parameters, length);
        _sums = new CkksCiphertext[chunks];
        _contributions = new int[chunks];
        _evaluator = new CkksEvaluator(context);
        _scratch = new CkksCiphertext(context);
    }

    /// <summary>The context.</summary>
    public CkksContext Context { get; }

    /// <summary>Values per vector.</summary>
    public long Length { get; }

    /// <summary>The per-chunk sums (all-zero ciphertexts for chunks nobody sent yet).</summary>
    public IReadOnlyList<CkksCiphertext> Chunks
    {
        get
        {
            for (var i = 0; i < _sums.Length; i++)
            {
                _sums[i] ??= new CkksCiphertext(Context);
            }

            return _sums;
        }
    }

    /// <summary>How many ciphertexts were added into chunk <paramref name="chunkIndex"/>.</summary>
    public int Contributions(long chunkIndex) => _contributions[chunkIndex];

    /// <summary>Whether every chunk received exactly <paramref name="contributors"/> ciphertexts.</summary>
    public bool IsComplete(int contributors) => _contributions.All(c => c == contributors);

    /// <summary>Parses a serialised chunk and adds it to the sum.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The chunk index is outside the vector.</exception>
    /// <exception cref="FormatException">The bytes are not a valid ciphertext of this context (nothing is added).</exception>
    public void Add(long chunkIndex, ReadOnlySpan<byte> ciphertext)
    {
        if (chunkIndex < 0 || chunkIndex >= _sums.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkIndex), $"chunk {chunkIndex} is outside a vector of {_sums.Length} chunks");
        }

        CkksSerializer.ReadCiphertext(ciphertext, _scratch);
        Add(chunkIndex, _scratch);
    }

    /// <summary>Adds a ciphertext to chunk <paramref name="chunkIndex"/>'s sum.</summary>
    public void Add(long chunkIndex, CkksCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        Context.EnsureOwns(ciphertext.Context, nameof(ciphertext));
        if (chunkIndex < 0 || chunkIndex >= _sums.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkIndex), $"chunk {chunkIndex} is outside a vector of {_sums.Length} chunks");
        }

        var sum = _sums[chunkIndex] ??= new CkksCiphertext(Context);
        _evaluator.AddInPlace(sum, ciphertext);
        _contributions[chunkIndex]++;
    }
}
