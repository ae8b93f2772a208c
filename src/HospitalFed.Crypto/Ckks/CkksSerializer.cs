using System.Buffers;
using HospitalFed.Crypto.Ckks.Internal;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Compact, versioned serialisation of ciphertexts and public keys (layout in docs/ckks.md):
/// residues bit-packed in ceil(log2 q) bits, seeds instead of uniform polynomials. Parsing is
/// strict and throws <see cref="FormatException"/> on truncation, trailing bytes, another
/// version, kind or parameter set, an out-of-range coefficient or non-zero padding.
/// </summary>
/// <remarks>
/// When the parameters set <see cref="CkksParameters.CompressionBits"/>, a ciphertext that is not
/// seeded is written as a <see cref="CkksObjectKind.CompressedCiphertext"/>: c0 rounded to w bits
/// per coefficient, c1 in full. That is lossy by at most Q / 2^(w+1) per c0 coefficient (public
/// rounding noise, see <see cref="CkksNoiseBudget"/>) and idempotent: writing a parsed ciphertext
/// gives back the same bytes, so digests over the serialisation agree between sender and receiver.
/// Both the compressed and the full kinds are read.
/// </remarks>
public static class CkksSerializer
{
    /// <summary>Bytes <paramref name="ciphertext"/> serialises to.</summary>
    public static int GetSize(CkksCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var context = ciphertext.Context;
        if (Compresses(ciphertext))
        {
            return CkksCompressedFormat.CiphertextSize(context);
        }

        var polynomials = ciphertext.IsSeeded ? context.Width : context.Width + 1;
        return CkksWireFormat.Size(context, polynomials, context.CiphertextPrimeCount, ciphertext.IsSeeded);
    }

    /// <summary>Serialises <paramref name="ciphertext"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public static int Write(CkksCiphertext ciphertext, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var context = ciphertext.Context;
        if (ciphertext.Seed is { } seed)
        {
            var c0 = ciphertext.Data.AsSpan(0, context.Width * ciphertext.PolynomialLength);
            return CkksWireFormat.Write(context, CkksObjectKind.SeededCiphertext, seed, c0, context.CiphertextPrimeCount, destination);
        }

        if (Compresses(ciphertext))
        {
            return WriteCompressed(ciphertext, destination);
        }

        return CkksWireFormat.Write(context, CkksObjectKind.Ciphertext, [], ciphertext.Data, context.CiphertextPrimeCount, destination);
    }

    /// <summary>Serialises <paramref name="ciphertext"/> into a new array.</summary>
    public static byte[] Serialize(CkksCiphertext ciphertext)
    {
        var bytes = new byte[GetSize(ciphertext)];
        Write(ciphertext, bytes);
        return bytes;
    }

    /// <summary>Parses a ciphertext into <paramref name="destination"/> (no allocation for unseeded ones).</summary>
    /// <exception cref="FormatException">The bytes are not a valid ciphertext for this context.</exception>
    public static void ReadCiphertext(ReadOnlySpan<byte> source, CkksCiphertext destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var context = destination.Context;
        var kind = CkksWireFormat.ReadHeader(context, source);
        if (kind == CkksObjectKind.Ciphertext)
        {
            CkksWireFormat.ReadPolynomials(context, source, false, context.CiphertextPrimeCount, destination.Data, "ciphertext");
            destination.ClearSeed();
            return;
        }

        if (kind == CkksObjectKind.CompressedCiphertext)
        {
            ReadCompressed(source, destination);
            return;
        }

        if (kind != CkksObjectKind.SeededCiphertext)
        {
            throw new FormatException($"expected a ciphertext, got a {kind}");
        }

        var seed = source.Slice(CkksWireFormat.HeaderSize, System.Math.Min(PolyExpander.SeedSize, source.Length - CkksWireFormat.HeaderSize));
        var c0 = destination.Data.AsSpan(0, context.Width * destination.PolynomialLength);
        CkksWireFormat.ReadPolynomials(context, source, true, context.CiphertextPrimeCount, c0, "seeded ciphertext");
        CkksEncryptor.ExpandC1(context, seed, destination.C1);
        destination.SetSeed(seed);
    }

    /// <summary>Parses a ciphertext of <paramref name="context"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid ciphertext for this context.</exception>
    public static CkksCiphertext ReadCiphertext(CkksContext context, ReadOnlySpan<byte> source)
    {
        var ciphertext = new CkksCiphertext(context);
        ReadCiphertext(source, ciphertext);
        return ciphertext;
    }

    /// <summary>
    /// Serialises <paramref name="ciphertext"/>'s c1 alone as a <see cref="CkksObjectKind.CiphertextMask"/>:
    /// what decryption-share makers need, a fraction of the ciphertext when c0 spans several polynomials.
    /// </summary>
    public static byte[] SerializeMask(CkksCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var context = ciphertext.Context;
        var bytes = new byte[CkksWireFormat.Size(context, 1, context.CiphertextPrimeCount, false)];
        CkksWireFormat.Write(context, CkksObjectKind.CiphertextMask, [], ciphertext.C1, context.CiphertextPrimeCount, bytes);
        return bytes;
    }

    /// <summary>Bytes <see cref="SerializeMask"/> writes for any ciphertext of <paramref name="context"/>.</summary>
    public static int MaskSize(CkksContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CkksWireFormat.Size(context, 1, context.CiphertextPrimeCount, false);
    }

    /// <summary>
    /// Parses a <see cref="CkksObjectKind.CiphertextMask"/> into a ciphertext whose c0 is zero: it
    /// serves <see cref="Multiparty.CollectiveDecryptionProtocol.GenShare"/>, which reads c1 only,
    /// and decrypts to nothing meaningful.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a valid ciphertext mask for this context.</exception>
    public static CkksCiphertext ReadMask(CkksContext context, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = CkksWireFormat.ReadHeader(context, source);
        if (kind != CkksObjectKind.CiphertextMask)
        {
            throw new FormatException($"expected a ciphertext mask, got a {kind}");
        }

        var ciphertext = new CkksCiphertext(context);
        CkksWireFormat.ReadPolynomials(context, source, false, context.CiphertextPrimeCount, ciphertext.C1, "ciphertext mask");
        return ciphertext;
    }

    /// <summary>
    /// Checks that <paramref name="source"/> is a ciphertext of <paramref name="context"/> that
    /// <see cref="ReadCiphertext(ReadOnlySpan{byte}, CkksCiphertext)"/> and
    /// <see cref="CkksVectorAccumulator.Add(long, ReadOnlySpan{byte})"/> accept, without building it:
    /// for a compressed ciphertext that is one pass over the bits (no decompression, no NTT), so a
    /// receiver can refuse a malformed chunk on arrival and add it later.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a valid ciphertext for this context.</exception>
    public static void Validate(CkksContext context, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CkksWireFormat.ReadHeader(context, source) != CkksObjectKind.CompressedCiphertext)
        {
            ReadCiphertext(context, source);
            return;
        }

        var compressed = ArrayPool<ulong>.Shared.Rent(context.Width * context.N);
        var c1 = ArrayPool<ulong>.Shared.Rent(context.CiphertextPrimeCount * context.N);
        try
        {
            CkksCompressedFormat.ReadCiphertext(context, source, compressed.AsSpan(0, context.Width * context.N), c1.AsSpan(0, context.CiphertextPrimeCount * context.N));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(compressed);
            ArrayPool<ulong>.Shared.Return(c1);
        }
    }

    /// <summary>
    /// Where the c1 section of a serialised public-key ciphertext starts: after the header and c0
    /// (k polynomials, full or compressed), both byte-aligned since N is a multiple of 8. The section
    /// runs to the end: c1's residues at the ciphertext primes, bit-packed as everywhere.
    /// </summary>
    /// <exception cref="FormatException">Not a full or compressed ciphertext of <paramref name="context"/> of the exact length (a seeded one has no c1 section).</exception>
    public static int MaskSectionOffset(CkksContext context, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = CkksWireFormat.ReadHeader(context, source);
        var (offset, size) = kind switch
        {
            CkksObjectKind.CompressedCiphertext => (CkksWireFormat.HeaderSize + ((long)context.Width * context.N * context.Parameters.CompressionBits / 8), CkksCompressedFormat.CiphertextSize(context)),
            CkksObjectKind.Ciphertext => (CkksWireFormat.HeaderSize + (CkksWireFormat.PayloadBits(context, context.Width, context.CiphertextPrimeCount) / 8), CkksWireFormat.Size(context, context.Width + 1, context.CiphertextPrimeCount, false)),
            _ => throw new FormatException($"a contribution must be a public-key ciphertext (full or compressed), not a {kind}"),
        };
        if (source.Length != size)
        {
            throw new FormatException($"a {kind} must be exactly {size} bytes; got {source.Length}");
        }

        return (int)offset;
    }

    /// <summary>Reads a c1 section (see <see cref="MaskSectionOffset"/>) into c1's residues, checking its length, range and padding.</summary>
    /// <exception cref="FormatException">The section is malformed.</exception>
    public static void ReadMaskSection(CkksContext context, ReadOnlySpan<byte> section, Span<ulong> c1)
    {
        ArgumentNullException.ThrowIfNull(context);
        CkksWireFormat.ReadSection(context, section, context.CiphertextPrimeCount, c1[..(context.CiphertextPrimeCount * context.N)], "c1 section");
    }

    /// <summary>Serialises a public key: its seed and b (about half the size of both polynomials).</summary>
    public static byte[] Serialize(CkksPublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var context = publicKey.Context;
        var bytes = new byte[CkksWireFormat.Size(context, context.Width, context.KeyPrimeCount, true)];
        CkksWireFormat.Write(context, CkksObjectKind.PublicKey, publicKey.Seed, publicKey.B, context.KeyPrimeCount, bytes);
        return bytes;
    }

    /// <summary>Parses a public key of <paramref name="context"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid public key for this context.</exception>
    public static CkksPublicKey ReadPublicKey(CkksContext context, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = CkksWireFormat.ReadHeader(context, source);
        if (kind != CkksObjectKind.PublicKey)
        {
            throw new FormatException($"expected a public key, got a {kind}");
        }

        var b = new ulong[context.Width * context.KeyPrimeCount * context.N];
        CkksWireFormat.ReadPolynomials(context, source, true, context.KeyPrimeCount, b, "public key");
        var seed = source.Slice(CkksWireFormat.HeaderSize, PolyExpander.SeedSize);
        return new CkksPublicKey(context, seed, CkksKeyGenerator.ExpandA(context, seed), b);
    }

    private static bool Compresses(CkksCiphertext ciphertext) =>
        ciphertext.Context.CiphertextCompressor is not null && !ciphertext.IsSeeded;

    private static int WriteCompressed(CkksCiphertext ciphertext, Span<byte> destination)
    {
        var context = ciphertext.Context;
        var length = context.Width * ciphertext.PolynomialLength;
        var coefficients = ArrayPool<ulong>.Shared.Rent(length);
        try
        {
            var c0 = coefficients.AsSpan(0, length);
            ciphertext.Data.AsSpan(0, length).CopyTo(c0);
            for (var j = 0; j < context.Width; j++)
            {
                context.InverseNtt(c0.Slice(j * ciphertext.PolynomialLength, ciphertext.PolynomialLength), context.CiphertextPrimeCount);
            }

            return CkksCompressedFormat.WriteCiphertext(context, c0, ciphertext.C1, destination);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(coefficients);
        }
    }

    private static void ReadCompressed(ReadOnlySpan<byte> source, CkksCiphertext destination)
    {
        var context = destination.Context;
        var count = context.Width * context.N;
        var compressed = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            // parse (and validate) everything before touching the destination's c0
            CkksCompressedFormat.ReadCiphertext(context, source, compressed.AsSpan(0, count), destination.C1);
            CkksCompressedFormat.DecompressToNtt(context, context.CiphertextCompressor!, compressed.AsSpan(0, count), destination.Data.AsSpan(0, context.Width * destination.PolynomialLength));
            destination.ClearSeed();
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(compressed);
        }
    }
}
