using System.Buffers;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// Layouts of the compressed kinds, after the common header (see <see cref="CkksWireFormat"/>):
/// a compressed ciphertext is k × N values of w bits (c0_1..c0_k, coefficient form) followed by
/// c1's residues in full (NTT form, ceil(log2 q_i) bits each); a compressed decryption share is
/// k × N values of w' bits. One little-endian bit stream, zero padding. Every w-bit value is a
/// valid compressed coefficient, and Decompress is injective on them, so a flipped payload bit
/// always changes the decoded value.
/// </summary>
internal static class CkksCompressedFormat
{
    public static int CiphertextSize(CkksContext context)
    {
        var bits = ((long)context.Width * context.N * context.Parameters.CompressionBits) + CkksWireFormat.PayloadBits(context, 1, context.CiphertextPrimeCount);
        return CkksWireFormat.HeaderSize + BitWriter.ByteCount(bits);
    }

    public static int ShareSize(CkksContext context) =>
        CkksWireFormat.HeaderSize + BitWriter.ByteCount((long)context.Width * context.N * context.Parameters.ShareCompressionBits);

    /// <summary>Writes a compressed ciphertext from c0 in coefficient form (k × L × N) and c1 in NTT form (L × N).</summary>
    public static int WriteCiphertext(CkksContext context, ReadOnlySpan<ulong> c0Coefficients, ReadOnlySpan<ulong> c1, Span<byte> destination)
    {
        var compressor = context.CiphertextCompressor ?? throw new InvalidOperationException("these parameters do not compress ciphertexts");
        var size = CiphertextSize(context);
        var writer = Begin(context, CkksObjectKind.CompressedCiphertext, size, destination);
        WriteCompressed(context, compressor, c0Coefficients, ref writer);
        var n = context.N;
        for (var i = 0; i < context.CiphertextPrimeCount; i++)
        {
            writer.WriteAll(c1.Slice(i * n, n), context.Moduli[i].BitCount);
        }

        writer.Flush();
        return size;
    }

    /// <summary>Writes a compressed decryption share's header and returns the writer for its k × N values.</summary>
    public static BitWriter BeginShare(CkksContext context, Span<byte> destination) =>
        Begin(context, CkksObjectKind.CompressedDecryptionShare, ShareSize(context), destination);

    /// <summary>
    /// Parses a compressed ciphertext whose header was checked: the raw compressed c0 values
    /// (k × N) and c1's residues (L × N), checking the exact length, c1's range and the padding.
    /// </summary>
    public static void ReadCiphertext(CkksContext context, ReadOnlySpan<byte> source, Span<ulong> compressedC0, Span<ulong> c1)
    {
        var bits = context.Parameters.CompressionBits;
        if (bits == 0)
        {
            throw new FormatException("compressed ciphertext, but these parameters do not compress ciphertexts");
        }

        var expected = CiphertextSize(context);
        if (source.Length != expected)
        {
            throw new FormatException($"compressed ciphertext must be exactly {expected} bytes; got {source.Length}");
        }

        var reader = new BitReader(source[CkksWireFormat.HeaderSize..]);
        reader.ReadAll(compressedC0[..(context.Width * context.N)], bits);
        var n = context.N;
        for (var i = 0; i < context.CiphertextPrimeCount; i++)
        {
            var modulus = context.Moduli[i];
            var outOfRange = reader.ReadAllBelow(c1.Slice(i * n, n), modulus.BitCount, modulus.Value);
            if (outOfRange >= 0)
            {
                throw new FormatException($"compressed ciphertext: coefficient {outOfRange} of c1 modulo prime {i} is out of range");
            }
        }

        reader.EnsureFinished();
    }

    /// <summary>Parses a compressed decryption share whose header was checked into its raw k × N values.</summary>
    public static void ReadShare(CkksContext context, ReadOnlySpan<byte> source, Span<ulong> compressed)
    {
        var bits = context.Parameters.ShareCompressionBits;
        if (bits == 0)
        {
            throw new FormatException("compressed decryption share, but these parameters do not compress shares");
        }

        var expected = ShareSize(context);
        if (source.Length != expected)
        {
            throw new FormatException($"compressed decryption share must be exactly {expected} bytes; got {source.Length}");
        }

        var reader = new BitReader(source[CkksWireFormat.HeaderSize..]);
        reader.ReadAll(compressed[..(context.Width * context.N)], bits);
        reader.EnsureFinished();
    }

    /// <summary>Decompresses k × N values into k polynomials in NTT form (k × L × N).</summary>
    public static void DecompressToNtt(CkksContext context, CkksCompressor compressor, ReadOnlySpan<ulong> compressed, Span<ulong> polynomials)
    {
        var n = context.N;
        var length = context.CiphertextPrimeCount * n;
        for (var j = 0; j < context.Width; j++)
        {
            var polynomial = polynomials.Slice(j * length, length);
            compressor.Decompress(compressed.Slice(j * n, n), polynomial);
            context.ForwardNtt(polynomial, context.CiphertextPrimeCount);
        }
    }

    /// <summary>Decompresses k × N values into k polynomials in coefficient form (k × L × N).</summary>
    public static void DecompressCoefficients(CkksContext context, CkksCompressor compressor, ReadOnlySpan<ulong> compressed, Span<ulong> polynomials)
    {
        var n = context.N;
        var length = context.CiphertextPrimeCount * n;
        for (var j = 0; j < context.Width; j++)
        {
            compressor.Decompress(compressed.Slice(j * n, n), polynomials.Slice(j * length, length));
        }
    }

    /// <summary>Compresses k polynomials given in coefficient form (k × L × N) to k × N values.</summary>
    public static void CompressCoefficients(CkksContext context, CkksCompressor compressor, ReadOnlySpan<ulong> polynomials, Span<ulong> compressed)
    {
        var n = context.N;
        var length = context.CiphertextPrimeCount * n;
        for (var j = 0; j < context.Width; j++)
        {
            compressor.Compress(polynomials.Slice(j * length, length), compressed.Slice(j * n, n));
        }
    }

    /// <summary>Writes k polynomials given in NTT form compressed (copies each to coefficient form first).</summary>
    public static void CompressFromNtt(CkksContext context, CkksCompressor compressor, ReadOnlySpan<ulong> polynomials, Span<ulong> compressed)
    {
        var n = context.N;
        var length = context.CiphertextPrimeCount * n;
        var scratch = ArrayPool<ulong>.Shared.Rent(length);
        try
        {
            var coefficients = scratch.AsSpan(0, length);
            for (var j = 0; j < context.Width; j++)
            {
                polynomials.Slice(j * length, length).CopyTo(coefficients);
                context.InverseNtt(coefficients, context.CiphertextPrimeCount);
                compressor.Compress(coefficients, compressed.Slice(j * n, n));
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }

    private static BitWriter Begin(CkksContext context, CkksObjectKind kind, int size, Span<byte> destination)
    {
        if (destination.Length < size)
        {
            throw new ArgumentException($"the destination holds {destination.Length} bytes; {size} are needed", nameof(destination));
        }

        CkksWireFormat.WriteHeader(context, kind, destination);
        return new BitWriter(destination[CkksWireFormat.HeaderSize..size]);
    }

    private static void WriteCompressed(CkksContext context, CkksCompressor compressor, ReadOnlySpan<ulong> coefficients, ref BitWriter writer)
    {
        var n = context.N;
        var length = context.CiphertextPrimeCount * n;
        var scratch = ArrayPool<ulong>.Shared.Rent(n);
        try
        {
            var values = scratch.AsSpan(0, n);
            for (var j = 0; j < context.Width; j++)
            {
                compressor.Compress(coefficients.Slice(j * length, length), values);
                writer.WriteAll(values, compressor.Bits);
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }
}
