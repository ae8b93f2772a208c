using System.Security.Cryptography;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// f_i(x_j): party i's Shamir share of its secret key for the party at point x_j. Secret: it must
/// reach that party sealed (e.g. AES-GCM under an ECDH key bound to plan, round, sender and
/// recipient). Zeroed on dispose.
/// </summary>
public sealed class ThresholdKeyShare : IDisposable
{
    private readonly ulong[] _data;
    private bool _disposed;

    internal ThresholdKeyShare(CkksContext context, int recipientPoint)
    {
        Context = context;
        RecipientPoint = recipientPoint;
        _data = new ulong[context.Width * context.KeyPrimeCount * context.N];
    }

    /// <summary>The context the share belongs to.</summary>
    public CkksContext Context { get; }

    /// <summary>The evaluation point x_j of the party this share is for.</summary>
    public int RecipientPoint { get; }

    internal ulong[] Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _data;
        }
    }

    /// <summary>Serialises the share (secret: seal it to the recipient).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[CkksWireFormat.Size(Context, Context.Width, Context.KeyPrimeCount, false)];
        CkksWireFormat.Write(Context, CkksObjectKind.ThresholdKeyShare, [], Data, Context.KeyPrimeCount, bytes);
        return bytes;
    }

    /// <summary>Parses a share addressed to the party at <paramref name="recipientPoint"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid threshold key share for this context.</exception>
    public static ThresholdKeyShare Parse(CkksContext context, int recipientPoint, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = CkksWireFormat.ReadHeader(context, source);
        if (kind != CkksObjectKind.ThresholdKeyShare)
        {
            throw new FormatException($"expected a threshold key share, got a {kind}");
        }

        var share = new ThresholdKeyShare(context, recipientPoint);
        CkksWireFormat.ReadPolynomials(context, source, false, context.KeyPrimeCount, share.Data, "threshold key share");
        return share;
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
