using System.Buffers;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks.Multiparty;

/// <summary>
/// A party's collective-decryption share s_i c1 + e_smudge for one ciphertext (one polynomial
/// per plaintext polynomial, ciphertext primes), or the sum of several parties' shares. The
/// polynomials are held in NTT form, or in coefficient form when they come from or go to the
/// compressed wire form (which is coefficient-wise): sums and decryption then need no NTT per share.
/// When the parameters set <see cref="CkksParameters.ShareCompressionBits"/> w', <see cref="ToBytes"/>
/// writes a <see cref="CkksObjectKind.CompressedDecryptionShare"/>: each coefficient rounded to w'
/// bits. The share is already smudged, so the rounding is post-processing and reveals nothing more;
/// it adds at most Q / 2^(w'+1) of public noise per coefficient (counted by <see cref="CkksNoiseBudget"/>).
/// </summary>
public sealed class DecryptionShare
{
    internal DecryptionShare(CkksContext context, bool inNttForm = true)
    {
        Context = context;
        Data = new ulong[context.Width * context.CiphertextPrimeCount * context.N];
        InNttForm = inNttForm;
    }

    /// <summary>The context the share belongs to.</summary>
    public CkksContext Context { get; }

    internal ulong[] Data { get; }

    /// <summary>Whether <see cref="Data"/> is in NTT form (true) or coefficient form (false).</summary>
    internal bool InNttForm { get; }

    internal Span<ulong> Polynomial(int index) =>
        Data.AsSpan(index * Context.CiphertextPrimeCount * Context.N, Context.CiphertextPrimeCount * Context.N);

    /// <summary>Serialises the share.</summary>
    public byte[] ToBytes()
    {
        if (Context.ShareCompressor is { } compressor)
        {
            var count = Context.Width * Context.N;
            var compressed = ArrayPool<ulong>.Shared.Rent(count);
            try
            {
                if (InNttForm)
                {
                    CkksCompressedFormat.CompressFromNtt(Context, compressor, Data, compressed.AsSpan(0, count));
                }
                else
                {
                    CkksCompressedFormat.CompressCoefficients(Context, compressor, Data, compressed.AsSpan(0, count));
                }

                var result = new byte[CkksCompressedFormat.ShareSize(Context)];
                var writer = CkksCompressedFormat.BeginShare(Context, result);
                writer.WriteAll(compressed.AsSpan(0, count), compressor.Bits);
                writer.Flush();
                return result;
            }
            finally
            {
                ArrayPool<ulong>.Shared.Return(compressed);
            }
        }

        var bytes = new byte[CkksWireFormat.Size(Context, Context.Width, Context.CiphertextPrimeCount, false)];
        CkksWireFormat.Write(Context, CkksObjectKind.DecryptionShare, [], ToNtt().Data, Context.CiphertextPrimeCount, bytes);
        return bytes;
    }

    /// <summary>This share in NTT form: itself, or a converted copy.</summary>
    internal DecryptionShare ToNtt() => InNttForm ? this : Converted(toNtt: true);

    /// <summary>This share in coefficient form: itself, or a converted copy.</summary>
    internal DecryptionShare ToCoefficients() => InNttForm ? Converted(toNtt: false) : this;

    private DecryptionShare Converted(bool toNtt)
    {
        var copy = new DecryptionShare(Context, inNttForm: toNtt);
        Data.CopyTo(copy.Data, 0);
        for (var j = 0; j < Context.Width; j++)
        {
            if (toNtt)
            {
                Context.ForwardNtt(copy.Polynomial(j), Context.CiphertextPrimeCount);
            }
            else
            {
                Context.InverseNtt(copy.Polynomial(j), Context.CiphertextPrimeCount);
            }
        }

        return copy;
    }

    /// <summary>Parses a share of <paramref name="context"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid decryption share for this context.</exception>
    public static DecryptionShare Parse(CkksContext context, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = CkksWireFormat.ReadHeader(context, source);
        if (kind == CkksObjectKind.CompressedDecryptionShare)
        {
            return ParseCompressed(context, source);
        }

        if (kind != CkksObjectKind.DecryptionShare)
        {
            throw new FormatException($"expected a decryption share, got a {kind}");
        }

        var share = new DecryptionShare(context);
        CkksWireFormat.ReadPolynomials(context, source, false, context.CiphertextPrimeCount, share.Data, "decryption share");
        return share;
    }

    private static DecryptionShare ParseCompressed(CkksContext context, ReadOnlySpan<byte> source)
    {
        var count = context.Width * context.N;
        var compressed = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            CkksCompressedFormat.ReadShare(context, source, compressed.AsSpan(0, count));
            // Kept in coefficient form: shares are summed and added to c0 there, one NTT per sum.
            var share = new DecryptionShare(context, inNttForm: false);
            CkksCompressedFormat.DecompressCoefficients(context, context.ShareCompressor!, compressed.AsSpan(0, count), share.Data);
            return share;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(compressed);
        }
    }
}
