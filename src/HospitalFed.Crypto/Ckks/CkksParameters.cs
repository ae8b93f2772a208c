using System.Buffers.Binary;
using System.Security.Cryptography;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks;

/// <summary>
/// Immutable, validated CKKS parameters for addition-only aggregation (Cheon, Kim, Kim and Song,
/// ASIACRYPT 2017): ring Z_Q[X]/(X^N + 1) with Q a product of NTT-friendly primes, ternary
/// secret, discrete Gaussian error with standard deviation 3.2. Construction refuses anything
/// outside <see cref="SecurityStandard"/> with a message naming the rule that failed.
/// </summary>
/// <remarks>
/// <para><see cref="Width"/> k &gt; 1 packs k plaintext polynomials under k independent secrets
/// into one ciphertext that shares its second component (the multi-secret packing of Peikert,
/// Vaikuntanathan and Waters, CRYPTO 2008, §5): a public-key ciphertext costs (k + 1) polynomials
/// instead of 2k. Security is that of k + 1 ring-LWE samples with one secret u, the same
/// assumption as the public key itself.</para>
/// <para>The last <see cref="SpecialPrimeCount"/> primes belong to the key only (SEAL's "special
/// prime"): ciphertexts live modulo the others.</para>
/// <para><see cref="CompressionBits"/> w &gt; 0 sends each c0 coefficient of a public-key ciphertext
/// as round(2^w x / Q) mod 2^w (Kyber's Compress_q, Bos et al., EuroS&amp;P 2018, §2), and
/// <see cref="ShareCompressionBits"/> does the same for decryption shares; see
/// <see cref="WithCompression"/> and docs/ckks.md, "Compact ciphertexts".</para>
/// </remarks>
public sealed class CkksParameters : IEquatable<CkksParameters>
{
    /// <summary>Standard deviation of the discrete Gaussian error (HomomorphicEncryption.org standard, §2.1).</summary>
    public const double ErrorStandardDeviation = 3.2;

    /// <summary>Largest supported <see cref="Width"/>.</summary>
    public const int MaxWidth = 64;

    /// <summary>Largest supported <see cref="CompressionBits"/> and <see cref="ShareCompressionBits"/> (the bit packer's word limit).</summary>
    public const int MaxCompressionBits = 61;

    /// <summary>
    /// Compression needs the ciphertext modulus Q below 2^122, so that the exact rounding sums
    /// (at most 2·16·Q) fit 128-bit arithmetic.
    /// </summary>
    public const int MaxCompressedModulusBits = 122;

    private readonly ulong[] _moduli;

    /// <summary>Validates and creates parameters from explicit primes.</summary>
    /// <param name="ringDegree">N: 2048, 4096, 8192 or 16384.</param>
    /// <param name="coefficientModuli">Distinct primes q ≡ 1 (mod 2N) below 2^61.</param>
    /// <param name="scale">Δ, the factor values are multiplied by before rounding; at least 2.</param>
    /// <param name="width">Plaintext polynomials per ciphertext (1 = textbook CKKS); default 1.</param>
    /// <param name="packing">Real values per slot; default <see cref="CkksSlotPacking.Real"/>.</param>
    /// <param name="specialPrimeCount">Key-only primes at the end of the list (0 or 1); default 0.</param>
    /// <exception cref="ArgumentException">A rule fails; the message names it.</exception>
    public CkksParameters(int ringDegree, IReadOnlyList<ulong> coefficientModuli, double scale,
        int width = 1, CkksSlotPacking packing = CkksSlotPacking.Real, int specialPrimeCount = 0)
    {
        ArgumentNullException.ThrowIfNull(coefficientModuli);
        if (!SecurityStandard.MaxModulusBits.TryGetValue(ringDegree, out var maxBits))
        {
            throw new ArgumentException($"rule 'ring degree': N must be one of 2048, 4096, 8192, 16384 (the HomomorphicEncryption.org 128-bit table); got {ringDegree}", nameof(ringDegree));
        }

        if (coefficientModuli.Count == 0 || coefficientModuli.Count > 16)
        {
            throw new ArgumentException($"rule 'prime count': between 1 and 16 primes are required; got {coefficientModuli.Count}", nameof(coefficientModuli));
        }

        if (specialPrimeCount is < 0 or > 1 || specialPrimeCount >= coefficientModuli.Count)
        {
            throw new ArgumentException($"rule 'special primes': 0 or 1 key-only prime, leaving at least one ciphertext prime; got {specialPrimeCount} of {coefficientModuli.Count}", nameof(specialPrimeCount));
        }

        var totalBits = 0.0;
        var seen = new HashSet<ulong>();
        for (var i = 0; i < coefficientModuli.Count; i++)
        {
            var q = coefficientModuli[i];
            if (q < 3 || q >> Modulus.MaxBits != 0)
            {
                throw new ArgumentException($"rule 'prime size': prime {i} must lie in [3, 2^{Modulus.MaxBits})", nameof(coefficientModuli));
            }

            if ((q - 1) % (2UL * (ulong)ringDegree) != 0)
            {
                throw new ArgumentException($"rule 'NTT-friendly': prime {i} ({q}) is not congruent to 1 mod 2N = {2 * ringDegree}", nameof(coefficientModuli));
            }

            if (!PrimeGenerator.IsPrime(q))
            {
                throw new ArgumentException($"rule 'prime': modulus {i} ({q}) is not prime", nameof(coefficientModuli));
            }

            if (!seen.Add(q))
            {
                throw new ArgumentException($"rule 'distinct primes': prime {i} ({q}) appears twice", nameof(coefficientModuli));
            }

            totalBits += System.Math.Log2(q);
        }

        if (System.Math.Ceiling(totalBits) > maxBits)
        {
            throw new ArgumentException($"rule '128-bit security': log2(Q) = {System.Math.Ceiling(totalBits)} exceeds {maxBits}, the HomomorphicEncryption.org bound for N = {ringDegree}", nameof(coefficientModuli));
        }

        if (width is < 1 or > MaxWidth)
        {
            throw new ArgumentException($"rule 'width': between 1 and {MaxWidth} polynomials per ciphertext; got {width}", nameof(width));
        }

        if (packing is not (CkksSlotPacking.Real or CkksSlotPacking.Complex))
        {
            throw new ArgumentException($"rule 'packing': unknown slot packing {(int)packing}", nameof(packing));
        }

        var ciphertextBits = 0.0;
        for (var i = 0; i < coefficientModuli.Count - specialPrimeCount; i++)
        {
            ciphertextBits += System.Math.Log2(coefficientModuli[i]);
        }

        if (!double.IsFinite(scale) || scale < 2 || System.Math.Log2(scale) + 2 >= ciphertextBits)
        {
            throw new ArgumentException($"rule 'scale': the scale must be at least 2 and leave at least 2 bits of the {ciphertextBits:F1}-bit ciphertext modulus above it; got 2^{System.Math.Log2(scale):F1}", nameof(scale));
        }

        RingDegree = ringDegree;
        _moduli = [.. coefficientModuli];
        Scale = scale;
        Width = width;
        Packing = packing;
        SpecialPrimeCount = specialPrimeCount;
        ModulusBits = totalBits;
        CiphertextModulusBits = ciphertextBits;
        Fingerprint = ComputeFingerprint();
    }

    private CkksParameters(CkksParameters source, int compressionBits, int shareCompressionBits)
    {
        RingDegree = source.RingDegree;
        _moduli = source._moduli;
        Scale = source.Scale;
        Width = source.Width;
        Packing = source.Packing;
        SpecialPrimeCount = source.SpecialPrimeCount;
        ModulusBits = source.ModulusBits;
        CiphertextModulusBits = source.CiphertextModulusBits;
        CompressionBits = compressionBits;
        ShareCompressionBits = shareCompressionBits;
        Fingerprint = ComputeFingerprint();
    }

    /// <summary>N, the ring degree.</summary>
    public int RingDegree { get; }

    /// <summary>All primes, key-only ones last.</summary>
    public IReadOnlyList<ulong> CoefficientModuli => Array.AsReadOnly(_moduli);

    /// <summary>Δ.</summary>
    public double Scale { get; }

    /// <summary>Plaintext polynomials (each under its own secret) per ciphertext.</summary>
    public int Width { get; }

    /// <summary>How real values fill the slots.</summary>
    public CkksSlotPacking Packing { get; }

    /// <summary>Key-only primes at the end of <see cref="CoefficientModuli"/>.</summary>
    public int SpecialPrimeCount { get; }

    /// <summary>Primes a ciphertext is kept modulo.</summary>
    public int CiphertextPrimeCount => _moduli.Length - SpecialPrimeCount;

    /// <summary>log2(Q) over all primes (the figure the security table bounds).</summary>
    public double ModulusBits { get; }

    /// <summary>log2 of the ciphertext modulus.</summary>
    public double CiphertextModulusBits { get; }

    /// <summary>
    /// w: bits per c0 coefficient of a serialised public-key ciphertext, or 0 (default) to send
    /// every residue in full. c1 is always sent in full: its rounding error would be multiplied by
    /// the secret at decryption.
    /// </summary>
    public int CompressionBits { get; }

    /// <summary>w': bits per coefficient of a serialised decryption share, or 0 (default) to send it in full.</summary>
    public int ShareCompressionBits { get; }

    /// <summary>Whether ciphertexts or shares travel compressed.</summary>
    public bool IsCompressed => CompressionBits > 0 || ShareCompressionBits > 0;

    /// <summary>Real values one plaintext polynomial holds: N/2 or N.</summary>
    public int ValuesPerPolynomial => Packing == CkksSlotPacking.Complex ? RingDegree : RingDegree / 2;

    /// <summary>Real values one ciphertext holds: <see cref="Width"/> × <see cref="ValuesPerPolynomial"/>.</summary>
    public int ValuesPerCiphertext => Width * ValuesPerPolynomial;

    /// <summary>16 bytes of SHA-256 over the canonical encoding: serialised objects carry it so parameters cannot be mixed up.</summary>
    public ReadOnlyMemory<byte> Fingerprint { get; }

    /// <summary>
    /// Creates parameters with the largest NTT-friendly primes of the given sizes (like SEAL's
    /// CoeffModulus::Create), e.g. <c>Create(8192, [60, 40, 40, 60], 2^40, specialPrimeCount: 1)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A rule fails.</exception>
    public static CkksParameters Create(int ringDegree, IReadOnlyList<int> primeBits, double scale,
        int width = 1, CkksSlotPacking packing = CkksSlotPacking.Real, int specialPrimeCount = 0)
    {
        ArgumentNullException.ThrowIfNull(primeBits);
        if (!SecurityStandard.MaxModulusBits.ContainsKey(ringDegree))
        {
            throw new ArgumentException($"rule 'ring degree': N must be one of 2048, 4096, 8192, 16384; got {ringDegree}", nameof(ringDegree));
        }

        var primes = new ulong[primeBits.Count];
        foreach (var group in primeBits.Select((bits, index) => (bits, index)).GroupBy(p => p.bits))
        {
            var found = PrimeGenerator.NttPrimes(group.Key, group.Count(), ringDegree);
            var k = 0;
            foreach (var (_, index) in group)
            {
                primes[index] = found[k++];
            }
        }

        return new CkksParameters(ringDegree, primes, scale, width, packing, specialPrimeCount);
    }

    /// <summary>
    /// The same parameters with c0 of public-key ciphertexts sent in <paramref name="ciphertextBits"/>
    /// bits per coefficient and decryption shares in <paramref name="shareBits"/> bits (0 = in full).
    /// The rounding is a deterministic function of public data, so it costs precision, not security;
    /// <see cref="CkksNoiseBudget.EnsureCompressionFits"/> checks the precision.
    /// </summary>
    /// <exception cref="ArgumentException">Rule 'compression bits' or 'compression modulus' fails.</exception>
    public CkksParameters WithCompression(int ciphertextBits, int shareBits)
    {
        CheckCompressionBits(ciphertextBits, nameof(ciphertextBits));
        CheckCompressionBits(shareBits, nameof(shareBits));
        if ((ciphertextBits > 0 || shareBits > 0) && CiphertextModulusBits >= MaxCompressedModulusBits)
        {
            throw new ArgumentException($"rule 'compression modulus': compression needs a ciphertext modulus below 2^{MaxCompressedModulusBits}; this one has {CiphertextModulusBits:F1} bits");
        }

        return new CkksParameters(this, ciphertextBits, shareBits);
    }

    /// <inheritdoc />
    public bool Equals(CkksParameters? other) =>
        other is not null && Fingerprint.Span.SequenceEqual(other.Fingerprint.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CkksParameters);

    /// <inheritdoc />
    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(Fingerprint.Span);

    /// <inheritdoc />
    public override string ToString() =>
        $"CKKS N={RingDegree} log2Q={ModulusBits:F1} primes=[{string.Join(",", _moduli.Select(q => 64 - ulong.LeadingZeroCount(q)))}] scale=2^{System.Math.Log2(Scale):F1} width={Width} packing={Packing}" +
        (IsCompressed ? $" compression={CompressionBits}/{ShareCompressionBits}" : "");

    private void CheckCompressionBits(int bits, string name)
    {
        // Decompress(Compress(y)) = y needs 2^(w+1) < Q; above that nothing is saved anyway.
        if (bits != 0 && (bits < 1 || bits > MaxCompressionBits || bits + 2 > CiphertextModulusBits))
        {
            throw new ArgumentException($"rule 'compression bits': 0 (off) or between 1 and min({MaxCompressionBits}, log2 Q - 2 = {System.Math.Floor(CiphertextModulusBits - 2)}); got {bits}", name);
        }
    }

    private byte[] ComputeFingerprint()
    {
        var buffer = new byte[4 + 4 + (8 * _moduli.Length) + 8 + 4 + 4 + 4 + 4 + 4];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, RingDegree);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], _moduli.Length);
        var offset = 8;
        foreach (var q in _moduli)
        {
            BinaryPrimitives.WriteUInt64BigEndian(span[offset..], q);
            offset += 8;
        }

        BinaryPrimitives.WriteDoubleBigEndian(span[offset..], Scale);
        BinaryPrimitives.WriteInt32BigEndian(span[(offset + 8)..], Width);
        BinaryPrimitives.WriteInt32BigEndian(span[(offset + 12)..], (int)Packing);
        BinaryPrimitives.WriteInt32BigEndian(span[(offset + 16)..], SpecialPrimeCount);
        BinaryPrimitives.WriteInt32BigEndian(span[(offset + 20)..], CompressionBits);
        BinaryPrimitives.WriteInt32BigEndian(span[(offset + 24)..], ShareCompressionBits);
        return SHA256.HashData(buffer)[..16];
    }
}
