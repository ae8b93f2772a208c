using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>A party's share -a s_i + e_i of the collective public key (or the sum of several shares). Public.</summary>
public sealed class PublicKeyShare
{
    internal PublicKeyShare(CkksContext context)
    {
        Context = context;
        Data = new ulong[context.Width * context.KeyPrimeCount * context.N];
    }

    /// <summary>The context the share belongs to.</summary>
    public CkksContext Context { get; }

    internal ulong[] Data { get; }

    /// <summary>Serialises the share.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[CkksWireFormat.Size(Context, Context.Width, Context.KeyPrimeCount, false)];
        CkksWireFormat.Write(Context, CkksObjectKind.PublicKeyShare, [], Data, Context.KeyPrimeCount, bytes);
        return bytes;
    }

    /// <summary>Parses a share of <paramref name="context"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid public key share for this context.</exception>
    public static PublicKeyShare Parse(CkksContext context, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = CkksWireFormat.ReadHeader(context, source);
        if (kind != CkksObjectKind.PublicKeyShare)
        {
            throw new FormatException($"expected a public key share, got a {kind}");
        }

        var share = new PublicKeyShare(context);
        CkksWireFormat.ReadPolynomials(context, source, false, context.KeyPrimeCount, share.Data, "public key share");
        return share;
    }
}
