using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// The aggregator's running sum of encrypted vectors: each incoming serialised chunk is parsed
/// into one scratch ciphertext and added in place to that chunk's sum, so memory is the aggregate
/// itself, O(d), never n × d. Counts contributions per chunk so an incomplete sum is detectable.
/// Not thread-safe.
/// </summary>
/// <remarks>
/// A <see cref="CkksObjectKind.CompressedCiphertext"/> is not brought back to NTT form per
/// contribution: its c0 is decompressed and added in coefficient form into a pending sum, which
/// one NTT per polynomial folds into the chunk's sum when <see cref="Chunks"/> is read. The result
/// is exactly the sum of the decompressed ciphertexts (NTT is linear), at the cost of a few
/// multiplications per coefficient instead of k·L NTTs per contribution.
/// </remarks>
public sealed class CkksVectorAccumulator
{
    private readonly CkksEvaluator _evaluator;
    private readonly CkksCiphertext _scratch;
    private readonly CkksCiphertext[] _sums;
    private readonly ulong[]?[] _pendingC0;
    private readonly int[] _contributions;
    private ulong[]? _compressed;

    /// <summary>Creates an empty sum for vectors of <paramref name="length"/> values.</summary>
    public CkksVectorAccumulator(CkksContext context, long length)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        Length = length;
        var chunks = CkksChunking.ChunkCount(context.Parameters, length);
        _sums = new CkksCiphertext[chunks];
        _pendingC0 = new ulong[]?[chunks];
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
                var sum = _sums[i] ??= new CkksCiphertext(Context);
                if (_pendingC0[i] is { } pending)
                {
                    FoldPending(sum, pending);
                    _pendingC0[i] = null;
                }
            }

            return _sums;
        }
    }

    /// <summary>How many ciphertexts were added into chunk <paramref name="chunkIndex"/>.</summary>
    public int Contributions(long chunkIndex) => _contributions[chunkIndex];

    /// <summary>Whether every chunk received exactly <paramref name="contributors"/> ciphertexts.</summary>
    public bool IsComplete(int contributors) => _contributions.All(c => c == contributors);

    /// <summary>Parses a serialised chunk (full, seeded or compressed) and adds it to the sum.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The chunk index is outside the vector.</exception>
    /// <exception cref="FormatException">The bytes are not a valid ciphertext of this context (nothing is added).</exception>
    public void Add(long chunkIndex, ReadOnlySpan<byte> ciphertext)
    {
        CheckIndex(chunkIndex);
        if (CkksWireFormat.ReadHeader(Context, ciphertext) == CkksObjectKind.CompressedCiphertext)
        {
            AddCompressed(chunkIndex, ciphertext);
            return;
        }

        CkksSerializer.ReadCiphertext(ciphertext, _scratch);
        Add(chunkIndex, _scratch);
    }

    /// <summary>Adds a ciphertext to chunk <paramref name="chunkIndex"/>'s sum.</summary>
    public void Add(long chunkIndex, CkksCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        Context.EnsureOwns(ciphertext.Context, nameof(ciphertext));
        CheckIndex(chunkIndex);
        var sum = _sums[chunkIndex] ??= new CkksCiphertext(Context);
        _evaluator.AddInPlace(sum, ciphertext);
        _contributions[chunkIndex]++;
    }

    private void AddCompressed(long chunkIndex, ReadOnlySpan<byte> ciphertext)
    {
        var n = Context.N;
        var length = Context.CiphertextPrimeCount * n;
        var compressed = _compressed ??= new ulong[Context.Width * n];
        // validate everything into scratch first, so a malformed chunk adds nothing
        CkksCompressedFormat.ReadCiphertext(Context, ciphertext, compressed, _scratch.C1);
        var compressor = Context.CiphertextCompressor!;
        var pending = _pendingC0[chunkIndex] ??= new ulong[Context.Width * length];
        for (var j = 0; j < Context.Width; j++)
        {
            compressor.DecompressAdd(compressed.AsSpan(j * n, n), pending.AsSpan(j * length, length));
        }

        var sum = _sums[chunkIndex] ??= new CkksCiphertext(Context);
        PolyArithmetic.AddInPlace(sum.C1, _scratch.C1, Context.Moduli.AsSpan(0, Context.CiphertextPrimeCount), n);
        sum.ClearSeed();
        _contributions[chunkIndex]++;
    }

    private void FoldPending(CkksCiphertext sum, ulong[] pending)
    {
        var length = sum.PolynomialLength;
        var moduli = Context.Moduli.AsSpan(0, Context.CiphertextPrimeCount);
        for (var j = 0; j < Context.Width; j++)
        {
            var polynomial = pending.AsSpan(j * length, length);
            Context.ForwardNtt(polynomial, Context.CiphertextPrimeCount);
            PolyArithmetic.AddInPlace(sum.C0(j), polynomial, moduli, Context.N);
        }
    }

    private void CheckIndex(long chunkIndex)
    {
        if (chunkIndex < 0 || chunkIndex >= _sums.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkIndex), $"chunk {chunkIndex} is outside a vector of {_sums.Length} chunks");
        }
    }
}
