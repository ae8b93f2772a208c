using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Decrypts and decodes with a single secret key: m_j = c0_j + c1 s_j, inverse NTT, CRT
/// composition, canonical embedding. Multiparty decryption goes through
/// the multiparty decryption protocol instead, so no party needs the whole key.
/// Holds scratch buffers and key-derived Shoup factors: one instance per thread; dispose to zero them.
/// </summary>
public sealed class CkksDecryptor : IDisposable
{
    private readonly CkksContext _context;
    private readonly CkksSecretKey _secretKey;
    private readonly ulong[] _keyShoup;
    private readonly ulong[] _buffer;
    private readonly CkksEncoder _encoder;
    private bool _disposed;

    /// <summary>Creates a decryptor for <paramref name="secretKey"/>.</summary>
    public CkksDecryptor(CkksContext context, CkksSecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(secretKey);
        context.EnsureOwns(secretKey.Context, nameof(secretKey));
        _context = context;
        _secretKey = secretKey;
        var n = context.N;
        var lc = context.CiphertextPrimeCount;
        _keyShoup = new ulong[context.Width * lc * n];
        for (var j = 0; j < context.Width; j++)
        {
            PolyArithmetic.ShoupFactors(secretKey.Polynomial(j, lc), _keyShoup.AsSpan(j * lc * n, lc * n), context.Moduli.AsSpan(0, lc), n);
        }

        _buffer = new ulong[lc * n];
        _encoder = new CkksEncoder(context);
    }

    /// <summary>Writes the first <c>min(values.Length, Capacity)</c> decrypted values to <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The ciphertext belongs to another context.</exception>
    /// <exception cref="ObjectDisposedException">The secret key was disposed.</exception>
    public void Decrypt(CkksCiphertext ciphertext, Span<double> values)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        _context.EnsureOwns(ciphertext.Context, nameof(ciphertext));
        ObjectDisposedException.ThrowIf(_disposed, this);
        ObjectDisposedException.ThrowIf(_secretKey.IsDisposed, _secretKey);
        var n = _context.N;
        var lc = _context.CiphertextPrimeCount;
        var moduli = _context.Moduli.AsSpan(0, lc);
        var perPolynomial = _context.Parameters.ValuesPerPolynomial;
        for (var j = 0; j < _context.Width && j * perPolynomial < values.Length; j++)
        {
            PolyArithmetic.MultiplyShoupAdd(ciphertext.C1, _secretKey.Polynomial(j, lc), _keyShoup.AsSpan(j * lc * n, lc * n), ciphertext.C0(j), _buffer, moduli, n);
            _context.InverseNtt(_buffer, lc);
            var start = j * perPolynomial;
            _encoder.Decode(_buffer, values.Slice(start, System.Math.Min(perPolynomial, values.Length - start)));
        }

        Array.Clear(_buffer);
    }

    /// <summary>Decrypts into a new array of <see cref="CkksCiphertext.Capacity"/> values.</summary>
    public double[] Decrypt(CkksCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var values = new double[ciphertext.Capacity];
        Decrypt(ciphertext, values);
        return values;
    }

    /// <summary>Zeroes the key-derived precomputation and scratch buffers (the key itself is the caller's to dispose).</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_keyShoup.AsSpan()));
            Array.Clear(_buffer);
            _disposed = true;
        }
    }
}
