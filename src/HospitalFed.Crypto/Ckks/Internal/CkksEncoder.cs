using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// CKKS encoding of one plaintext polynomial (Cheon et al. 2017, §3.2 and §4.1): values into
/// slots, the inverse canonical embedding, scaling by Δ and rounding to integer coefficients,
/// which go straight into residues so the caller can add noise before one NTT. Holds scratch
/// buffers: one instance per thread. The values are a site's secret update: apart from the two
/// error paths (a value not finite, a coefficient too large), which abort the encryption, no
/// branch or memory address depends on them. The per-coefficient loops (CkksEncoder.Kernels.cs)
/// run at <see cref="SimdSupport.Best"/> unless a test asks for another width; every width
/// gives the same residues.
/// </summary>
internal sealed partial class CkksEncoder
{
    private readonly CkksContext _context;
    private readonly SimdWidth _width;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _coefficients;
    private readonly CoefficientReducer[] _reducers;
    private readonly double _limit;

    public CkksEncoder(CkksContext context)
        : this(context, SimdSupport.Best)
    {
    }

    /// <summary>An encoder whose loops run at <paramref name="width"/> (or the widest supported below it).</summary>
    public CkksEncoder(CkksContext context, SimdWidth width)
    {
        _context = context;
        _width = width;
        _re = new double[context.N / 2];
        _im = new double[context.N / 2];
        _coefficients = new double[context.N];
        // coefficients must stay below Q/2 with room for noise: refuse values that would wrap
        var limitBits = context.Parameters.CiphertextModulusBits - 2;
        _limit = System.Math.Pow(2, limitBits);
        _reducers = new CoefficientReducer[context.CiphertextPrimeCount];
        for (var i = 0; i < _reducers.Length; i++)
        {
            _reducers[i] = new CoefficientReducer(context.Moduli[i], limitBits);
        }
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
        _context.Fft.InverseUnscaled(_re, _im, _width);

        // Δ / (N/2) folds the transform's power-of-two scaling into Δ: the same product bit for bit.
        var scale = _context.Parameters.Scale / slots;
        var largest = System.Math.Max(
            RoundScaled(_re, _coefficients.AsSpan(0, slots), scale, _width),
            RoundScaled(_im, _coefficients.AsSpan(slots), scale, _width));
        if (largest >= _limit)
        {
            throw new ArgumentException(
                $"values at offsets {valueOffset}..{valueOffset + values.Length - 1} are too large for this scale: an encoded coefficient reaches 2^{System.Math.Log2(largest):F1}, the limit is 2^{System.Math.Log2(_limit):F1} (lower the scale or the magnitude)",
                nameof(values));
        }

        var n = _context.N;
        for (var i = 0; i < _reducers.Length; i++)
        {
            _reducers[i].Reduce(_coefficients, noise, destination.Slice(i * n, n), _width);
        }
    }

    /// <summary>Decodes residues (coefficient form, ciphertext primes) into up to ValuesPerPolynomial values.</summary>
    public void Decode(ReadOnlySpan<ulong> residues, Span<double> values)
    {
        var slots = _re.Length;
        // the two-prime compose has only an 8-lane path; both give the same doubles
        _context.CiphertextBasis.ComposeCentered(residues, _context.N, _coefficients, vectorize: _width != SimdWidth.Scalar);
        var inverseScale = 1.0 / _context.Parameters.Scale;
        MultiplyInto(_coefficients.AsSpan(0, slots), _re, inverseScale, _width);
        MultiplyInto(_coefficients.AsSpan(slots), _im, inverseScale, _width);

        _context.Fft.Forward(_re, _im, _width);
        var realCount = System.Math.Min(values.Length, slots);
        _re.AsSpan(0, realCount).CopyTo(values);
        if (_context.Parameters.Packing == CkksSlotPacking.Complex && values.Length > slots)
        {
            _im.AsSpan(0, System.Math.Min(values.Length - slots, slots)).CopyTo(values[slots..]);
        }
    }

    private void CheckFinite(ReadOnlySpan<double> values, int valueOffset)
    {
        if (AllFinite(values, _width))
        {
            return;
        }

        // error path only: the encryption is abandoned, so finding the offset may take its time
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"value at offset {valueOffset + i} is not a finite number", nameof(values));
            }
        }
    }
}
