using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// Collective decryption (Mouchet et al., PETS 2021, §4.2, "DKeySwitch" to the zero key): each
/// party returns d_i = s_i c1 + e_i with smudging noise e_i uniform on [-B', B'], where B' comes
/// from the <see cref="CkksNoiseBudget"/> so that the aggregate's own noise (a function of every
/// site's secrets) is statistically hidden; c0 + Σ d_i then decodes to the sum of plaintexts.
/// With threshold keys, s_i is the party's Lagrange-weighted share (see <see cref="ThresholdProtocol"/>).
/// A party must call <see cref="GenShare"/> only for an aggregate it has agreed to reveal.
/// </summary>
public sealed class CollectiveDecryptionProtocol
{
    private readonly CkksContext _context;
    private readonly IRandomSource _random;
    private readonly long _smudgingBound;

    /// <summary>Creates the protocol; <paramref name="budget"/> sizes the smudging noise.</summary>
    /// <exception cref="ArgumentException">The budget needs more smudging than these parameters allow, or their compression is too coarse for it (rule 'compression precision').</exception>
    public CollectiveDecryptionProtocol(CkksContext context, CkksNoiseBudget budget, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(budget);
        _context = context;
        _random = random ?? CryptographicRandomSource.Shared;
        _smudgingBound = budget.SmudgingBound(context.Parameters);
        // The summed smudging must leave the plaintext's room below Q/2 untouched: keep it under Q/16.
        var smudgingBits = System.Math.Log2(System.Math.Max(1, _smudgingBound) * (double)budget.Decryptors);
        if (smudgingBits > context.Parameters.CiphertextModulusBits - 4)
        {
            throw new ArgumentException($"smudging of 2^{smudgingBits:F1} summed over {budget.Decryptors} decryptors does not fit the {context.Parameters.CiphertextModulusBits:F0}-bit ciphertext modulus: use larger parameters", nameof(budget));
        }

        budget.EnsureCompressionFits(context.Parameters);
        Budget = budget;
    }

    /// <summary>The budget the smudging is sized for.</summary>
    public CkksNoiseBudget Budget { get; }

    /// <summary>Half-width B' of each party's uniform smudging noise.</summary>
    public long SmudgingBound => _smudgingBound;

    /// <summary>This party's share for <paramref name="ciphertext"/>: s_i c1 + smudging noise.</summary>
    /// <exception cref="ArgumentException">An input belongs to another context.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public DecryptionShare GenShare(CkksSecretKey secretKey, CkksCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(ciphertext);
        _context.EnsureOwns(secretKey.Context, nameof(secretKey));
        _context.EnsureOwns(ciphertext.Context, nameof(ciphertext));
        if (_context.ShareCompressor is not null)
        {
            return GenCoefficientShare(secretKey, ciphertext, []);
        }

        var n = _context.N;
        var lc = _context.CiphertextPrimeCount;
        var moduli = _context.Moduli.AsSpan(0, lc);

        var share = new DecryptionShare(_context);
        var noise = new long[n];
        for (var j = 0; j < _context.Width; j++)
        {
            var target = share.Polynomial(j);
            Sampler.Uniform(_random, _smudgingBound, noise);
            Sampler.ToResiduesWide(noise, moduli, target);
            _context.ForwardNtt(target, lc);
            PolyArithmetic.MultiplyAdd(ciphertext.C1, secretKey.Polynomial(j, lc), target, target, moduli, n);
        }

        Array.Clear(noise);
        return share;
    }

    /// <summary>
    /// This party's shares for every chunk of an aggregate, in order, made lazily one at a time.
    /// For a compressing context the key's Shoup factors are computed once for the whole vector
    /// (s_i c1 is then the vectorised Shoup product) and zeroed when the enumeration ends.
    /// </summary>
    /// <exception cref="ArgumentException">An input belongs to another context.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public IEnumerable<DecryptionShare> GenShares(CkksSecretKey secretKey, IEnumerable<CkksCiphertext> ciphertexts)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(ciphertexts);
        _context.EnsureOwns(secretKey.Context, nameof(secretKey));
        return _context.ShareCompressor is null ? ciphertexts.Select(c => GenShare(secretKey, c)) : GenCoefficientShares(secretKey, ciphertexts);
    }

    /// <summary>The sum of <paramref name="shares"/> (at least one).</summary>
    /// <exception cref="ArgumentException">No shares, or a share of another context.</exception>
    public DecryptionShare AggregateShares(IEnumerable<DecryptionShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var list = shares.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("at least one decryption share is needed", nameof(shares));
        }

        foreach (var share in list)
        {
            _context.EnsureOwns(share.Context, nameof(shares));
        }

        // Both transforms are linear: parsed compressed shares are summed in coefficient form,
        // where they arrive, and the sum meets c0 there too (no NTT per share).
        var sum = new DecryptionShare(_context, inNttForm: !list.TrueForAll(s => !s.InNttForm));
        foreach (var share in list)
        {
            AddInPlace(sum, share);
        }

        return sum;
    }

    /// <summary>
    /// Adds <paramref name="share"/> into <paramref name="sum"/> in place: a running sum kept as
    /// shares arrive, one share's memory whatever their number.
    /// </summary>
    /// <exception cref="ArgumentException">A share of another context.</exception>
    public void AddInPlace(DecryptionShare sum, DecryptionShare share)
    {
        ArgumentNullException.ThrowIfNull(sum);
        ArgumentNullException.ThrowIfNull(share);
        _context.EnsureOwns(sum.Context, nameof(sum));
        _context.EnsureOwns(share.Context, nameof(share));
        share = sum.InNttForm ? share.ToNtt() : share.ToCoefficients(); // both linear: same sum in either form
        var moduli = _context.Moduli.AsSpan(0, _context.CiphertextPrimeCount);
        for (var j = 0; j < _context.Width; j++)
        {
            PolyArithmetic.AddInPlace(sum.Polynomial(j), share.Polynomial(j), moduli, _context.N);
        }
    }

    /// <summary>Decodes c0 + Σ d_i into <paramref name="values"/> (up to the ciphertext's capacity).</summary>
    /// <exception cref="ArgumentException">An input belongs to another context.</exception>
    public void Decrypt(CkksCiphertext ciphertext, DecryptionShare aggregated, Span<double> values)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(aggregated);
        _context.EnsureOwns(ciphertext.Context, nameof(ciphertext));
        _context.EnsureOwns(aggregated.Context, nameof(aggregated));
        var lc = _context.CiphertextPrimeCount;
        var moduli = _context.Moduli.AsSpan(0, lc);
        var buffer = new ulong[lc * _context.N];
        var encoder = new CkksEncoder(_context);
        var perPolynomial = _context.Parameters.ValuesPerPolynomial;
        for (var j = 0; j < _context.Width && j * perPolynomial < values.Length; j++)
        {
            if (aggregated.InNttForm)
            {
                PolyArithmetic.Add(ciphertext.C0(j), aggregated.Polynomial(j), buffer, moduli, _context.N);
                _context.InverseNtt(buffer, lc);
            }
            else
            {
                ciphertext.C0(j).CopyTo(buffer);
                _context.InverseNtt(buffer, lc);
                PolyArithmetic.AddInPlace(buffer, aggregated.Polynomial(j), moduli, _context.N);
            }

            var start = j * perPolynomial;
            encoder.Decode(buffer, values.Slice(start, System.Math.Min(perPolynomial, values.Length - start)));
        }
    }

    /// <summary>
    /// The share for a compressing context, made in coefficient form (the compressed wire form's):
    /// s_i c1 is computed in NTT form and brought back once, then the smudging noise is added
    /// coefficient-wise, which saves the noise's forward NTT and the inverse NTT before compression.
    /// </summary>
    private DecryptionShare GenCoefficientShare(CkksSecretKey secretKey, CkksCiphertext ciphertext, ReadOnlySpan<ulong> keyShoup)
    {
        var n = _context.N;
        var lc = _context.CiphertextPrimeCount;
        var moduli = _context.Moduli.AsSpan(0, lc);
        var share = new DecryptionShare(_context, inNttForm: false);
        var noise = new long[n];
        var residues = new ulong[lc * n];
        for (var j = 0; j < _context.Width; j++)
        {
            var target = share.Polynomial(j);
            if (keyShoup.IsEmpty)
            {
                PolyArithmetic.MultiplyAdd(ciphertext.C1, secretKey.Polynomial(j, lc), target, target, moduli, n); // target starts at zero
            }
            else
            {
                PolyArithmetic.MultiplyShoup(ciphertext.C1, secretKey.Polynomial(j, lc), keyShoup.Slice(j * lc * n, lc * n), target, moduli, n);
            }

            _context.InverseNtt(target, lc);
            Sampler.Uniform(_random, _smudgingBound, noise);
            Sampler.ToResiduesWide(noise, moduli, residues);
            PolyArithmetic.AddInPlace(target, residues, moduli, n);
        }

        Array.Clear(noise);
        Array.Clear(residues);
        return share;
    }

    private IEnumerable<DecryptionShare> GenCoefficientShares(CkksSecretKey secretKey, IEnumerable<CkksCiphertext> ciphertexts)
    {
        var n = _context.N;
        var lc = _context.CiphertextPrimeCount;
        var keyShoup = new ulong[_context.Width * lc * n];
        try
        {
            for (var j = 0; j < _context.Width; j++)
            {
                PolyArithmetic.ShoupFactors(secretKey.Polynomial(j, lc), keyShoup.AsSpan(j * lc * n, lc * n), _context.Moduli.AsSpan(0, lc), n);
            }

            foreach (var ciphertext in ciphertexts)
            {
                ArgumentNullException.ThrowIfNull(ciphertext, nameof(ciphertexts));
                _context.EnsureOwns(ciphertext.Context, nameof(ciphertexts));
                yield return GenCoefficientShare(secretKey, ciphertext, keyShoup);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(keyShoup.AsSpan()));
        }
    }

    /// <summary>Decodes chunk <paramref name="chunkIndex"/> of an aggregate vector into its place in <paramref name="vector"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The chunk is outside the vector.</exception>
    public void DecryptChunk(CkksCiphertext ciphertext, DecryptionShare aggregated, long chunkIndex, Span<double> vector)
    {
        var (start, count) = CkksChunking.ChunkRange(_context.Parameters, vector.Length, chunkIndex);
        Decrypt(ciphertext, aggregated, vector.Slice((int)start, count));
    }
}
