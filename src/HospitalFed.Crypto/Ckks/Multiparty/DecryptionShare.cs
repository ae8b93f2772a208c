using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// A party's collective-decryption share s_i c1 + e_smudge for one ciphertext (one polynomial
/// per plaintext polynomial, NTT form, ciphertext primes), or the sum of several parties' shares.
/// </summary>
public sealed class DecryptionShare
{
    internal DecryptionShare(CkksContext context)
    {
        Context = context;
        Data = new ulong[context.Width * context.CiphertextPrimeCount * context.N];
    }

    /// <summary>The context the share belongs to.</summary>
    public CkksContext Context { get; }

    internal ulong[] Data { get; }

    internal Span<ulong> Polynomial(int index) =>
        Data.AsSpan(index * Context.CiphertextPrimeCount * Context.N, Context.CiphertextPrimeCount * Context.N);

    /// <summary>Serialises the share.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[CkksWireFormat.Size(Context, Context.Width, Context.CiphertextPrimeCount, false)];
        CkksWireFormat.Write(Context, CkksObjectKind.DecryptionShare, [], Data, Context.CiphertextPrimeCount, bytes);
        return bytes;
    }

    /// <summary>Parses a share of <paramref name="context"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid decryption share for this context.</exception>
    public static DecryptionShare Parse(CkksContext context, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = CkksWireFormat.ReadHeader(context, source);
        if (kind != CkksObjectKind.DecryptionShare)
        {
            throw new FormatException($"expected a decryption share, got a {kind}");
        }

        var share = new DecryptionShare(context);
        CkksWireFormat.ReadPolynomials(context, source, false, context.CiphertextPrimeCount, share.Data, "decryption share");
        return share;
    }
}
