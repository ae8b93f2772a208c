namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// A ciphertext (c0_1..c0_k, c1) in NTT form modulo the ciphertext primes: decrypting computes
/// c0_j + c1 s_j. A secret-key ciphertext also keeps the seed its c1 was expanded from, so it
/// serialises at about half the size; any addition drops the seed. Not thread-safe.
/// </summary>
public sealed class CkksCiphertext
{
    private byte[]? _seed;

    /// <summary>Creates the all-zero ciphertext (a noiseless encryption of zero, the identity for addition).</summary>
    public CkksCiphertext(CkksContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        Data = new ulong[(context.Width + 1) * context.CiphertextPrimeCount * context.N];
    }

    /// <summary>The context the ciphertext belongs to.</summary>
    public CkksContext Context { get; }

    /// <summary>Whether c1 is the expansion of a stored seed (secret-key encryption, not yet added to).</summary>
    public bool IsSeeded => _seed is not null;

    /// <summary>Real values this ciphertext holds.</summary>
    public int Capacity => Context.Parameters.ValuesPerCiphertext;

    /// <summary>Polynomials c0_1..c0_k then c1, each CiphertextPrimeCount × N residues.</summary>
    internal ulong[] Data { get; }

    internal byte[]? Seed => _seed;

    internal int PolynomialLength => Context.CiphertextPrimeCount * Context.N;

    internal Span<ulong> C0(int index) => Data.AsSpan(index * PolynomialLength, PolynomialLength);

    internal Span<ulong> C1 => Data.AsSpan(Context.Width * PolynomialLength, PolynomialLength);

    internal void SetSeed(ReadOnlySpan<byte> seed) => _seed = seed.ToArray();

    internal void ClearSeed() => _seed = null;

    /// <summary>Copies <paramref name="source"/> into this ciphertext.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> belongs to another context.</exception>
    public void CopyFrom(CkksCiphertext source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Context.EnsureOwns(source.Context, nameof(source));
        source.Data.CopyTo(Data, 0);
        _seed = source._seed?.ToArray();
    }
}
