using System.Security.Cryptography;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// A party's point on the degree t-1 polynomial F = Σ_i f_i whose value at 0 is the collective
/// secret key: F(x_j) = Σ_i f_i(x_j). Any t such points determine the key; fewer reveal nothing
/// about it (Shamir, CACM 1979). Zeroed on dispose.
/// </summary>
public sealed class ThresholdSecretKey : IDisposable
{
    private readonly ulong[] _data;
    private bool _disposed;

    internal ThresholdSecretKey(CkksContext context, int point, int threshold, ulong[] data)
    {
        Context = context;
        Point = point;
        Threshold = threshold;
        _data = data;
    }

    /// <summary>The context the key belongs to.</summary>
    public CkksContext Context { get; }

    /// <summary>This party's evaluation point x_j (1-based, public).</summary>
    public int Point { get; }

    /// <summary>t: how many parties must take part in a decryption.</summary>
    public int Threshold { get; }

    internal ulong[] Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _data;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_data.AsSpan()));
            _disposed = true;
        }
    }
}
