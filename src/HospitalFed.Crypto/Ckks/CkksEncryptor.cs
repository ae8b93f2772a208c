using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Encodes and encrypts real vectors. Public-key mode (a site under the collective key):
/// c1 = a u + e, c0_j = b_j u + e_j + m_j with ternary u. Secret-key mode: c1 = a from a fresh
/// seed, c0_j = -a s_j + e_j + m_j, and only the seed travels. Both encrypt at the ciphertext
/// primes (the key-only prime is not needed for addition). Holds scratch buffers, so one
/// instance per thread; buffers are reused, nothing is allocated per coefficient.
/// </summary>
public sealed class CkksEncryptor
{
    private const string SeedLabel = "hfed/ckks/ciphertext-c1";
    private readonly CkksContext _context;
    private readonly IRandomSource _random;
    private readonly CkksEncoder _encoder;
    private readonly CkksSecretKey? _secretKey;
    private readonly ulong[]? _pkA;
    private readonly ulong[]? _pkAShoup;
    private readonly ulong[]? _pkB;
    private readonly ulong[]? _pkBShoup;
    private readonly ulong[] _u;
    private readonly long[] _small;
    private readonly ulong[] _plain;
    private readonly byte[] _seed = new byte[PolyExpander.SeedSize];

    /// <summary>Encrypts under <paramref name="publicKey"/> (for example a collective key).</summary>
    public CkksEncryptor(CkksContext context, CkksPublicKey publicKey, IRandomSource? random = null)
        : this(context, random)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        context.EnsureOwns(publicKey.Context, nameof(publicKey));
        var n = context.N;
        var lc = context.CiphertextPrimeCount;
        var moduli = context.Moduli.AsSpan(0, lc);
        _pkA = publicKey.A.AsSpan(0, lc * n).ToArray();
        _pkAShoup = new ulong[lc * n];
        PolyArithmetic.ShoupFactors(_pkA, _pkAShoup, moduli, n);
        _pkB = new ulong[context.Width * lc * n];
        for (var j = 0; j < context.Width; j++)
        {
            publicKey.B.AsSpan(j * context.KeyPrimeCount * n, lc * n).CopyTo(_pkB.AsSpan(j * lc * n));
        }

        _pkBShoup = new ulong[_pkB.Length];
        for (var j = 0; j < context.Width; j++)
        {
            PolyArithmetic.ShoupFactors(_pkB.AsSpan(j * lc * n, lc * n), _pkBShoup.AsSpan(j * lc * n, lc * n), moduli, n);
        }
    }

    /// <summary>Encrypts under <paramref name="secretKey"/>, producing seeded ciphertexts.</summary>
    public CkksEncryptor(CkksContext context, CkksSecretKey secretKey, IRandomSource? random = null)
        : this(context, random)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        context.EnsureOwns(secretKey.Context, nameof(secretKey));
        _secretKey = secretKey;
    }

    private CkksEncryptor(CkksContext context, IRandomSource? random)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _random = random ?? CryptographicRandomSource.Shared;
        _encoder = new CkksEncoder(context);
        _u = new ulong[context.CiphertextPrimeCount * context.N];
        _small = new long[context.N];
        _plain = new ulong[context.CiphertextPrimeCount * context.N];
    }

    /// <summary>Encrypts up to <see cref="CkksParameters.ValuesPerCiphertext"/> values (the rest are zero) into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">Too many values, a value not finite or too large, or a ciphertext of another context.</exception>
    /// <exception cref="ObjectDisposedException">The secret key was disposed.</exception>
    public void Encrypt(ReadOnlySpan<double> values, CkksCiphertext destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _context.EnsureOwns(destination.Context, nameof(destination));
        var capacity = _context.Parameters.ValuesPerCiphertext;
        if (values.Length > capacity)
        {
            throw new ArgumentException($"a ciphertext holds at most {capacity} values; got {values.Length} (encrypt longer vectors chunk by chunk)", nameof(values));
        }

        if (_secretKey is null)
        {
            EncryptPublic(values, destination);
        }
        else
        {
            EncryptSecret(values, destination);
        }
    }

    /// <summary>Encrypts <paramref name="values"/> into a new ciphertext.</summary>
    public CkksCiphertext Encrypt(ReadOnlySpan<double> values)
    {
        var ciphertext = new CkksCiphertext(_context);
        Encrypt(values, ciphertext);
        return ciphertext;
    }

    /// <summary>The context the encryptor belongs to.</summary>
    internal CkksContext Context => _context;

    /// <summary>Whether this encryptor uses a public key (its ciphertexts are compressible).</summary>
    internal bool IsPublicKey => _secretKey is null;

    /// <summary>
    /// Public-key encryption with c0 left in coefficient form, for the compressed wire format:
    /// c0_j = INTT(b_j u) + m_j + e_j costs the same number of NTTs as the NTT-form path.
    /// </summary>
    internal void EncryptPublicCoefficients(ReadOnlySpan<double> values, Span<ulong> c0Coefficients, Span<ulong> c1)
    {
        var capacity = _context.Parameters.ValuesPerCiphertext;
        if (values.Length > capacity)
        {
            throw new ArgumentException($"a ciphertext holds at most {capacity} values; got {values.Length} (encrypt longer vectors chunk by chunk)", nameof(values));
        }

        EncryptPublicCore(values, c0Coefficients, c1, coefficientForm: true);
    }

    private void EncryptPublic(ReadOnlySpan<double> values, CkksCiphertext destination)
    {
        EncryptPublicCore(values, destination.Data.AsSpan(0, _context.Width * destination.PolynomialLength), destination.C1, coefficientForm: false);
        destination.ClearSeed();
    }

    private void EncryptPublicCore(ReadOnlySpan<double> values, Span<ulong> c0s, Span<ulong> c1, bool coefficientForm)
    {
        var n = _context.N;
        var lc = _context.CiphertextPrimeCount;
        var moduli = _context.Moduli.AsSpan(0, lc);

        Sampler.Ternary(_random, _small);
        Sampler.ToResidues(_small, moduli, _u);
        _context.ForwardNtt(_u, lc);

        Sampler.Gaussian(_random, _small);
        Sampler.ToResidues(_small, moduli, c1);
        _context.ForwardNtt(c1, lc);
        PolyArithmetic.MultiplyShoupAdd(_u, _pkA, _pkAShoup, c1, c1, moduli, n);

        var perPolynomial = _context.Parameters.ValuesPerPolynomial;
        for (var j = 0; j < _context.Width; j++)
        {
            var c0 = c0s.Slice(j * lc * n, lc * n);
            Sampler.Gaussian(_random, _small);
            var block = j * lc * n;
            if (coefficientForm)
            {
                _encoder.Encode(Slice(values, j, perPolynomial), _small, _plain, j * perPolynomial);
                PolyArithmetic.MultiplyShoup(_u, _pkB.AsSpan(block, lc * n), _pkBShoup.AsSpan(block, lc * n), c0, moduli, n);
                _context.InverseNtt(c0, lc);
                PolyArithmetic.AddInPlace(c0, _plain, moduli, n);
            }
            else
            {
                _encoder.Encode(Slice(values, j, perPolynomial), _small, c0, j * perPolynomial);
                _context.ForwardNtt(c0, lc);
                PolyArithmetic.MultiplyShoupAdd(_u, _pkB.AsSpan(block, lc * n), _pkBShoup.AsSpan(block, lc * n), c0, c0, moduli, n);
            }
        }

        Array.Clear(_small);
        Array.Clear(_u);
        if (coefficientForm)
        {
            Array.Clear(_plain);
        }
    }

    private void EncryptSecret(ReadOnlySpan<double> values, CkksCiphertext destination)
    {
        var n = _context.N;
        var lc = _context.CiphertextPrimeCount;
        var moduli = _context.Moduli.AsSpan(0, lc);
        var key = _secretKey!;

        _random.Fill(_seed);
        var c1 = destination.C1;
        PolyExpander.Expand(_context, SeedLabel, _seed, lc, c1);

        var perPolynomial = _context.Parameters.ValuesPerPolynomial;
        for (var j = 0; j < _context.Width; j++)
        {
            var c0 = destination.C0(j);
            Sampler.Gaussian(_random, _small);
            _encoder.Encode(Slice(values, j, perPolynomial), _small, c0, j * perPolynomial);
            _context.ForwardNtt(c0, lc);
            var s = key.Polynomial(j, lc);
            for (var i = 0; i < lc; i++)
            {
                var modulus = moduli[i];
                for (var t = i * n; t < (i + 1) * n; t++)
                {
                    c0[t] = modulus.Subtract(c0[t], modulus.Multiply(c1[t], s[t]));
                }
            }
        }

        Array.Clear(_small);
        destination.SetSeed(_seed);
    }

    internal static ReadOnlySpan<double> Slice(ReadOnlySpan<double> values, int index, int perPolynomial)
    {
        var start = index * perPolynomial;
        return start >= values.Length ? [] : values.Slice(start, System.Math.Min(perPolynomial, values.Length - start));
    }

    /// <summary>Expands a seeded ciphertext's c1 (used when parsing).</summary>
    internal static void ExpandC1(CkksContext context, ReadOnlySpan<byte> seed, Span<ulong> c1) =>
        PolyExpander.Expand(context, SeedLabel, seed, context.CiphertextPrimeCount, c1);
}
