using System.Security.Cryptography;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// A secret key: <see cref="CkksParameters.Width"/> polynomials in NTT form modulo every prime.
/// Either a party's own ternary key or, in threshold decryption, a party's Lagrange-weighted
/// share of the collective key. Zeroed on <see cref="Dispose"/>; use after dispose throws.
/// </summary>
public sealed class CkksSecretKey : IDisposable
{
    private readonly ulong[] _data;
    private bool _disposed;

    internal CkksSecretKey(CkksContext context, ulong[] data)
    {
        Context = context;
        _data = data;
    }

    /// <summary>The context the key belongs to.</summary>
    public CkksContext Context { get; }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Width × KeyPrimeCount × N residues, NTT form.</summary>
    internal ulong[] Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _data;
        }
    }

    /// <summary>The residues of polynomial <paramref name="index"/> modulo the first <paramref name="primeCount"/> primes.</summary>
    internal ReadOnlySpan<ulong> Polynomial(int index, int primeCount)
    {
        var block = Context.KeyPrimeCount * Context.N;
        return Data.AsSpan(index * block, primeCount * Context.N);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_data.AsSpan()));
        _disposed = true;
    }
}
