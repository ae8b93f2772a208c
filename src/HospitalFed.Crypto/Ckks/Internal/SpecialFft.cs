using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HospitalFed.Crypto.Arithmetic;

namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// The canonical embedding of CKKS restricted to one slot per conjugate pair: evaluation of a
/// real polynomial at zeta^(5^j), zeta = exp(i pi / N), j &lt; N/2, by the "special FFT" of
/// Cheon, Han, Kim, Kim and Song (SAC 2018, §3; HEAAN's Ring::EMB / EMBInv). Twiddles are
/// precomputed per level so a transform is N/4 log(N/2) complex butterflies and no trigonometry.
/// The vector paths (SpecialFft.Vector512.cs, SpecialFft.Vector256.cs) evaluate the very same
/// expressions in the same order (no fused multiply-add), so every width gives bit-identical
/// results; the control flow and memory addresses depend only on N, never on the values.
/// </summary>
internal sealed partial class SpecialFft
{
    // The small stages (half-length below the vector width) run on whole vectors with a lane
    // permutation; their twiddles, repeated to 8 lanes (0 on the lanes that hold the upper
    // operand's partner), sit at [log2(half) * 8, +8).
    private const int PatternLanes = 8;
    private readonly int _slots;
    private readonly int[] _bitReverse;
    // per level len = 2, 4, ..., slots: twiddles for j < len/2, stored contiguously from offset len/2 - 1
    private readonly double[] _forwardRe;
    private readonly double[] _forwardIm;
    private readonly double[] _inverseRe;
    private readonly double[] _inverseIm;
    private readonly double[] _smallForwardRe = new double[3 * PatternLanes];
    private readonly double[] _smallForwardIm = new double[3 * PatternLanes];
    private readonly double[] _smallInverseRe = new double[3 * PatternLanes];
    private readonly double[] _smallInverseIm = new double[3 * PatternLanes];

    public SpecialFft(int ringDegree)
    {
        _slots = ringDegree / 2;
        var m = 2L * ringDegree;
        var logSlots = System.Numerics.BitOperations.Log2((uint)_slots);
        _bitReverse = new int[_slots];
        for (var i = 0; i < _slots; i++)
        {
            _bitReverse[i] = (int)HospitalFed.Crypto.Arithmetic.NttTables.BitReverse((uint)i, logSlots);
        }

        var rotationGroup = new long[_slots];
        long five = 1;
        for (var j = 0; j < _slots; j++)
        {
            rotationGroup[j] = five;
            five = five * 5 % m;
        }

        _forwardRe = new double[_slots];
        _forwardIm = new double[_slots];
        _inverseRe = new double[_slots];
        _inverseIm = new double[_slots];
        for (var len = 2; len <= _slots; len <<= 1)
        {
            var half = len >> 1;
            var quarterPeriod = 4L * len;
            for (var j = 0; j < half; j++)
            {
                var forwardIndex = rotationGroup[j] % quarterPeriod * (m / quarterPeriod);
                var inverseIndex = (quarterPeriod - (rotationGroup[j] % quarterPeriod)) * (m / quarterPeriod);
                var angle = 2 * System.Math.PI * forwardIndex / m;
                var inverseAngle = 2 * System.Math.PI * inverseIndex / m;
                _forwardRe[half - 1 + j] = System.Math.Cos(angle);
                _forwardIm[half - 1 + j] = System.Math.Sin(angle);
                _inverseRe[half - 1 + j] = System.Math.Cos(inverseAngle);
                _inverseIm[half - 1 + j] = System.Math.Sin(inverseAngle);
            }
        }

        for (int half = 1, stage = 0; half < PatternLanes && half < _slots; half <<= 1, stage++)
        {
            for (var lane = 0; lane < PatternLanes; lane++)
            {
                var position = lane & ((2 * half) - 1);
                if (position >= half)
                {
                    var source = half - 1 + position - half;
                    _smallForwardRe[(stage * PatternLanes) + lane] = _forwardRe[source];
                    _smallForwardIm[(stage * PatternLanes) + lane] = _forwardIm[source];
                    _smallInverseRe[(stage * PatternLanes) + lane] = _inverseRe[source];
                    _smallInverseIm[(stage * PatternLanes) + lane] = _inverseIm[source];
                }
            }
        }
    }

    /// <summary>Slots per polynomial (N/2).</summary>
    public int Slots => _slots;

    /// <summary>Coefficient pairs (m_j + i m_{j+N/2}) to slot values, in place (decoding).</summary>
    public void Forward(Span<double> re, Span<double> im) => Forward(re, im, SimdSupport.Best);

    /// <summary>As <see cref="Forward(Span{double}, Span{double})"/> at a chosen width (tests compare them).</summary>
    public void Forward(Span<double> re, Span<double> im, SimdWidth width)
    {
        CheckLengths(re, im);
        BitReversePermute(re, im);
        switch (Fit(width))
        {
            case SimdWidth.Vector512:
                ForwardVector512(re, im);
                break;
            case SimdWidth.Vector256:
                ForwardVector256(re, im);
                break;
            default:
                ForwardScalar(re, im);
                break;
        }
    }

    /// <summary>Slot values to coefficient pairs, in place, including the 1/(N/2) scaling (encoding).</summary>
    public void Inverse(Span<double> re, Span<double> im) => Inverse(re, im, SimdSupport.Best);

    /// <summary>As <see cref="Inverse(Span{double}, Span{double})"/> at a chosen width.</summary>
    public void Inverse(Span<double> re, Span<double> im, SimdWidth width)
    {
        InverseUnscaled(re, im, width);
        // 1/(N/2) is a power of two: scaling is exact, so a caller may instead fold it into a later product.
        var scale = 1.0 / _slots;
        ScaleInPlace(re, scale);
        ScaleInPlace(im, scale);
    }

    /// <summary>
    /// <see cref="Inverse(Span{double}, Span{double}, SimdWidth)"/> without the 1/(N/2) scaling:
    /// the encoder folds that power of two into Δ, which gives the same products bit for bit.
    /// </summary>
    public void InverseUnscaled(Span<double> re, Span<double> im, SimdWidth width)
    {
        CheckLengths(re, im);
        switch (Fit(width))
        {
            case SimdWidth.Vector512:
                InverseVector512(re, im);
                break;
            case SimdWidth.Vector256:
                InverseVector256(re, im);
                break;
            default:
                InverseScalar(re, im);
                break;
        }

        BitReversePermute(re, im);
    }

    private static void ScaleInPlace(Span<double> values, double scale)
    {
        ref var v = ref MemoryMarshal.GetReference(values);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<double>.Count <= values.Length; i += Vector256<double>.Count)
            {
                (Vector256.LoadUnsafe(ref v, (nuint)i) * scale).StoreUnsafe(ref v, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            Unsafe.Add(ref v, i) *= scale;
        }
    }

    // A width is used only where it is accelerated and at least two vectors fit in the slots.
    private SimdWidth Fit(SimdWidth width) =>
        width == SimdWidth.Vector512 && SimdSupport.IsSupported(width) && _slots >= 16 ? width
        : width >= SimdWidth.Vector256 && SimdSupport.IsSupported(SimdWidth.Vector256) && _slots >= 8 ? SimdWidth.Vector256
        : SimdWidth.Scalar;

    private void CheckLengths(Span<double> re, Span<double> im)
    {
        if (re.Length != _slots || im.Length != _slots)
        {
            throw new ArgumentException($"expected {_slots} real and imaginary parts, got {re.Length} and {im.Length}");
        }
    }

    private void ForwardScalar(Span<double> re, Span<double> im)
    {
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        for (var half = 1; half < _slots; half <<= 1)
        {
            ref var wr0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_forwardRe), half - 1);
            ref var wi0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_forwardIm), half - 1);
            for (var i = 0; i < _slots; i += 2 * half)
            {
                for (var j = 0; j < half; j++)
                {
                    var wr = Unsafe.Add(ref wr0, j);
                    var wi = Unsafe.Add(ref wi0, j);
                    ref var ar = ref Unsafe.Add(ref r, i + j);
                    ref var ai = ref Unsafe.Add(ref m, i + j);
                    ref var br = ref Unsafe.Add(ref ar, half);
                    ref var bi = ref Unsafe.Add(ref ai, half);
                    var vr = (br * wr) - (bi * wi);
                    var vi = (br * wi) + (bi * wr);
                    var ur = ar;
                    var ui = ai;
                    ar = ur + vr;
                    ai = ui + vi;
                    br = ur - vr;
                    bi = ui - vi;
                }
            }
        }
    }

    private void InverseScalar(Span<double> re, Span<double> im)
    {
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        for (var half = _slots >> 1; half >= 1; half >>= 1)
        {
            ref var wr0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_inverseRe), half - 1);
            ref var wi0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_inverseIm), half - 1);
            for (var i = 0; i < _slots; i += 2 * half)
            {
                for (var j = 0; j < half; j++)
                {
                    ref var ar = ref Unsafe.Add(ref r, i + j);
                    ref var ai = ref Unsafe.Add(ref m, i + j);
                    ref var br = ref Unsafe.Add(ref ar, half);
                    ref var bi = ref Unsafe.Add(ref ai, half);
                    var ur = ar + br;
                    var ui = ai + bi;
                    var dr = ar - br;
                    var di = ai - bi;
                    var wr = Unsafe.Add(ref wr0, j);
                    var wi = Unsafe.Add(ref wi0, j);
                    ar = ur;
                    ai = ui;
                    br = (dr * wr) - (di * wi);
                    bi = (dr * wi) + (di * wr);
                }
            }
        }
    }

    // Addresses come from the public table only; the swap is unconditional on the values.
    private void BitReversePermute(Span<double> re, Span<double> im)
    {
        ref var r = ref MemoryMarshal.GetReference(re);
        ref var m = ref MemoryMarshal.GetReference(im);
        ref var reverse = ref MemoryMarshal.GetArrayDataReference(_bitReverse);
        for (var i = 0; i < _slots; i++)
        {
            var j = Unsafe.Add(ref reverse, i);
            if (i < j)
            {
                (Unsafe.Add(ref r, i), Unsafe.Add(ref r, j)) = (Unsafe.Add(ref r, j), Unsafe.Add(ref r, i));
                (Unsafe.Add(ref m, i), Unsafe.Add(ref m, j)) = (Unsafe.Add(ref m, j), Unsafe.Add(ref m, i));
            }
        }
    }
}
