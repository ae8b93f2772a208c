using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// CKKS encoding of one plaintext polynomial (Cheon et al. 2017, §3.2 and §4.1): values into
/// slots, the inverse canonical embedding, scaling by Δ and rounding to integer coefficients,
/// which go straight into residues so the caller can add noise before one NTT. Holds scratch
/// buffers: one instance per thread.
/// </summary>
internal sealed class CkksEncoder
{
    private const double TwoTo62 = 4611686018427387904.0;
    private readonly CkksContext _context;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _coefficients;
    private readonly double _limit;

    public CkksEncoder(CkksContext context)
    {
        _context = context;
        _re = new double[context.N / 2];
        _im = new double[context.N / 2];
        _coefficients = new double[context.N];
        // coefficients must stay below Q/2 with room for noise: refuse values that would wrap
        _limit = System.Math.Pow(2, context.Parameters.CiphertextModulusBits - 2);
    }

    /// <summary>
    /// Encodes up to <see cref="CkksParameters.ValuesPerPolynomial"/> values (missing ones are zero),
    /// adds the small integer <paramref name="noise"/> (or nothing when empty), and writes the
    /// residues modulo each ciphertext prime, in coefficient form, to <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not finite, or too large for the scale and modulus.</exception>
    public void Encode(ReadOnlySpan<double> values, ReadOnlySpan<long> noise, Span<ulong> destination, int valueOffset)
    {
        var slots = _re.Length;
        var complex = _context.Parameters.Packing == CkksSlotPacking.Complex;
        var realCount = System.Math.Min(values.Length, slots);
        values[..realCount].CopyTo(_re);
        _re.AsSpan(realCount).Clear();
        if (complex && values.Length > slots)
        {
            var imagCount = System.Math.Min(values.Length - slots, slots);
            values.Slice(slots, imagCount).CopyTo(_im);
            _im.AsSpan(imagCount).Clear();
        }
        else
        {
            _im.AsSpan().Clear();
        }

        CheckFinite(values, valueOffset);
        _context.Fft.Inverse(_re, _im);

        var n = _context.N;
        var scale = _context.Parameters.Scale;
        var largest = 0.0;
        for (var j = 0; j < slots; j++)
        {
            _coefficients[j] = System.Math.Round(_re[j] * scale);
            _coefficients[j + slots] = System.Math.Round(_im[j] * scale);
            largest = System.Math.Max(largest, System.Math.Max(System.Math.Abs(_coefficients[j]), System.Math.Abs(_coefficients[j + slots])));
        }

        if (largest >= _limit)
        {
            throw new ArgumentException(
                $"values at offsets {valueOffset}..{valueOffset + values.Length - 1} are too large for this scale: an encoded coefficient reaches 2^{System.Math.Log2(largest):F1}, the limit is 2^{System.Math.Log2(_limit):F1} (lower the scale or the magnitude)",
                nameof(values));
        }

        var moduli = _context.Moduli;
        for (var i = 0; i < _context.CiphertextPrimeCount; i++)
        {
            var modulus = moduli[i];
            var block = destination.Slice(i * n, n);
            if (largest < TwoTo62)
            {
                for (var j = 0; j < n; j++)
                {
                    var e = noise.IsEmpty ? 0 : noise[j];
                    block[j] = modulus.FromSigned((long)_coefficients[j] + e);
                }
            }
            else
            {
                var powers = _context.PowersOfTwo[i];
                for (var j = 0; j < n; j++)
                {
                    var e = noise.IsEmpty ? 0 : noise[j];
                    block[j] = modulus.Add(ReduceLarge(_coefficients[j], modulus, powers), modulus.FromSigned(e));
                }
            }
        }
    }

    /// <summary>Decodes residues (coefficient form, ciphertext primes) into up to ValuesPerPolynomial values.</summary>
    public void Decode(ReadOnlySpan<ulong> residues, Span<double> values)
    {
        var slots = _re.Length;
        _context.CiphertextBasis.ComposeCentered(residues, _context.N, _coefficients);
        var inverseScale = 1.0 / _context.Parameters.Scale;
        for (var j = 0; j < slots; j++)
        {
            _re[j] = _coefficients[j] * inverseScale;
            _im[j] = _coefficients[j + slots] * inverseScale;
        }

        _context.Fft.Forward(_re, _im);
        var realCount = System.Math.Min(values.Length, slots);
        _re.AsSpan(0, realCount).CopyTo(values);
        if (_context.Parameters.Packing == CkksSlotPacking.Complex && values.Length > slots)
        {
            _im.AsSpan(0, System.Math.Min(values.Length - slots, slots)).CopyTo(values[slots..]);
        }
    }

    private static void CheckFinite(ReadOnlySpan<double> values, int valueOffset)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"value at offset {valueOffset + i} is not a finite number", nameof(values));
            }
        }
    }

    // An integral double of magnitude below 2^127 modulo q: |value| = mantissa * 2^exponent exactly.
    private static ulong ReduceLarge(double value, Modulus modulus, ulong[] powersOfTwo)
    {
        if (System.Math.Abs(value) < TwoTo62)
        {
            return modulus.FromSigned((long)value);
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF) - 1075;
        var mantissa = (ulong)(bits & 0xFFFFFFFFFFFFFL) | (1UL << 52);
        var residue = modulus.Multiply(modulus.Reduce(mantissa), powersOfTwo[exponent]);
        var sign = (ulong)(bits >> 63);
        return (residue & ~sign) | (modulus.Negate(residue) & sign);
    }
}
