using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// The versioned binary layout shared by every serialised CKKS object:
/// "HFCK" | version (1) | kind (1) | parameter fingerprint (16) | [seed (32)] | polynomials,
/// each residue in exactly ceil(log2 q_i) bits, one little-endian bit stream, zero padding.
/// Parsing is strict: exact length, known version and kind, matching parameters, every
/// residue below its prime, zero padding; otherwise <see cref="FormatException"/> naming what failed.
/// </summary>
internal static class CkksWireFormat
{
    public const byte Version = 1;
    public const int HeaderSize = 4 + 1 + 1 + 16;
    private static ReadOnlySpan<byte> Magic => "HFCK"u8;

    /// <summary>Bits of <paramref name="polynomials"/> polynomials over the first <paramref name="primeCount"/> primes.</summary>
    public static long PayloadBits(CkksContext context, int polynomials, int primeCount)
    {
        long bitsPerPolynomial = 0;
        for (var i = 0; i < primeCount; i++)
        {
            bitsPerPolynomial += (long)context.Moduli[i].BitCount * context.N;
        }

        return bitsPerPolynomial * polynomials;
    }

    public static int Size(CkksContext context, int polynomials, int primeCount, bool seeded) =>
        HeaderSize + (seeded ? PolyExpander.SeedSize : 0) + BitWriter.ByteCount(PayloadBits(context, polynomials, primeCount));

    /// <summary>Writes header, optional seed and polynomials (each primeCount × N residues, concatenated in <paramref name="residues"/>).</summary>
    public static int Write(CkksContext context, CkksObjectKind kind, ReadOnlySpan<byte> seed, ReadOnlySpan<ulong> residues, int primeCount, Span<byte> destination)
    {
        var polynomials = residues.Length / (primeCount * context.N);
        var size = Size(context, polynomials, primeCount, !seed.IsEmpty);
        if (destination.Length < size)
        {
            throw new ArgumentException($"the destination holds {destination.Length} bytes; {size} are needed", nameof(destination));
        }

        WriteHeader(context, kind, destination);
        var offset = HeaderSize;
        if (!seed.IsEmpty)
        {
            seed.CopyTo(destination[offset..]);
            offset += seed.Length;
        }

        var writer = new BitWriter(destination[offset..size]);
        var n = context.N;
        for (var p = 0; p < polynomials; p++)
        {
            for (var i = 0; i < primeCount; i++)
            {
                writer.WriteAll(residues.Slice(((p * primeCount) + i) * n, n), context.Moduli[i].BitCount);
            }
        }

        writer.Flush();
        return size;
    }

    /// <summary>Writes magic, version, kind and the parameter fingerprint.</summary>
    public static void WriteHeader(CkksContext context, CkksObjectKind kind, Span<byte> destination)
    {
        Magic.CopyTo(destination);
        destination[4] = Version;
        destination[5] = (byte)kind;
        context.Parameters.Fingerprint.Span.CopyTo(destination[6..]);
    }

    /// <summary>Checks the header and returns the kind; throws <see cref="FormatException"/> naming the failed check.</summary>
    public static CkksObjectKind ReadHeader(CkksContext context, ReadOnlySpan<byte> source)
    {
        if (source.Length < HeaderSize)
        {
            throw new FormatException($"CKKS object truncated: {source.Length} bytes, the header alone is {HeaderSize}");
        }

        if (!source[..4].SequenceEqual(Magic))
        {
            throw new FormatException("not a CKKS object: bad magic bytes");
        }

        if (source[4] != Version)
        {
            throw new FormatException($"unsupported CKKS wire version {source[4]}; this build reads version {Version}");
        }

        var kind = (CkksObjectKind)source[5];
        if (!Enum.IsDefined(kind))
        {
            throw new FormatException($"unknown CKKS object kind {source[5]}");
        }

        if (!source.Slice(6, 16).SequenceEqual(context.Parameters.Fingerprint.Span))
        {
            throw new FormatException("the CKKS object was made under other parameters than this context's");
        }

        return kind;
    }

    /// <summary>Reads the polynomials after the header (and seed) into <paramref name="residues"/>, checking length, range and padding.</summary>
    public static void ReadPolynomials(CkksContext context, ReadOnlySpan<byte> source, bool seeded, int primeCount, Span<ulong> residues, string what)
    {
        var polynomials = residues.Length / (primeCount * context.N);
        var expected = Size(context, polynomials, primeCount, seeded);
        if (source.Length != expected)
        {
            throw new FormatException($"{what} must be exactly {expected} bytes; got {source.Length}");
        }

        ReadSection(context, source[(HeaderSize + (seeded ? PolyExpander.SeedSize : 0))..], primeCount, residues, what);
    }

    /// <summary>Reads headerless bit-packed polynomials filling <paramref name="residues"/>, checking the exact length, range and padding.</summary>
    public static void ReadSection(CkksContext context, ReadOnlySpan<byte> source, int primeCount, Span<ulong> residues, string what)
    {
        var polynomials = residues.Length / (primeCount * context.N);
        var expected = BitWriter.ByteCount(PayloadBits(context, polynomials, primeCount));
        if (source.Length != expected)
        {
            throw new FormatException($"{what} must be exactly {expected} bytes; got {source.Length}");
        }

        var reader = new BitReader(source);
        var n = context.N;
        for (var p = 0; p < polynomials; p++)
        {
            for (var i = 0; i < primeCount; i++)
            {
                Modulus modulus = context.Moduli[i];
                var outOfRange = reader.ReadAllBelow(residues.Slice(((p * primeCount) + i) * n, n), modulus.BitCount, modulus.Value);
                if (outOfRange >= 0)
                {
                    throw new FormatException($"{what}: coefficient {outOfRange} of polynomial {p} modulo prime {i} is out of range");
                }
            }
        }

        reader.EnsureFinished();
    }
}
