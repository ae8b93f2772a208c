namespace HospitalFed.Crypto.Ckks.Internal;

/// <summary>
/// The canonical embedding of CKKS restricted to one slot per conjugate pair: evaluation of a
/// real polynomial at zeta^(5^j), zeta = exp(i pi / N), j &lt; N/2, by the "special FFT" of
/// Cheon, Han, Kim, Kim and Song (SAC 2018, §3; HEAAN's Ring::EMB / EMBInv). Twiddles are
/// precomputed per level so a transform is N/4 log(N/2) complex butterflies and no trigonometry.
/// </summary>
internal sealed class SpecialFft
{
    private readonly int _slots;
    private readonly int[] _bitReverse;
    // per level len = 2, 4, ..., slots: twiddles for j < len/2, stored contiguously from offset len/2 - 1
    private readonly double[] _forwardRe;
    private readonly double[] _forwardIm;
    private readonly double[] _inverseRe;
    private readonly double[] _inverseIm;

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
    }

    /// <summary>Slots per polynomial (N/2).</summary>
    public int Slots => _slots;

    /// <summary>Coefficient pairs (m_j + i m_{j+N/2}) to slot values, in place (decoding).</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        BitReversePermute(re, im);
        for (var len = 2; len <= _slots; len <<= 1)
        {
            var half = len >> 1;
            var tw = half - 1;
            for (var i = 0; i < _slots; i += len)
            {
                for (var j = 0; j < half; j++)
                {
                    var wr = _forwardRe[tw + j];
                    var wi = _forwardIm[tw + j];
                    var a = i + j;
                    var b = a + half;
                    var vr = (re[b] * wr) - (im[b] * wi);
                    var vi = (re[b] * wi) + (im[b] * wr);
                    var ur = re[a];
                    var ui = im[a];
                    re[a] = ur + vr;
                    im[a] = ui + vi;
                    re[b] = ur - vr;
                    im[b] = ui - vi;
                }
            }
        }
    }

    /// <summary>Slot values to coefficient pairs, in place, including the 1/(N/2) scaling (encoding).</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        for (var len = _slots; len >= 2; len >>= 1)
        {
            var half = len >> 1;
            var tw = half - 1;
            for (var i = 0; i < _slots; i += len)
            {
                for (var j = 0; j < half; j++)
                {
                    var a = i + j;
                    var b = a + half;
                    var ur = re[a] + re[b];
                    var ui = im[a] + im[b];
                    var dr = re[a] - re[b];
                    var di = im[a] - im[b];
                    var wr = _inverseRe[tw + j];
                    var wi = _inverseIm[tw + j];
                    re[a] = ur;
                    im[a] = ui;
                    re[b] = (dr * wr) - (di * wi);
                    im[b] = (dr * wi) + (di * wr);
                }
            }
        }

        BitReversePermute(re, im);
        var scale = 1.0 / _slots;
        for (var i = 0; i < _slots; i++)
        {
            re[i] *= scale;
            im[i] *= scale;
        }
    }

    private void BitReversePermute(Span<double> re, Span<double> im)
    {
        for (var i = 0; i < _slots; i++)
        {
            var j = _bitReverse[i];
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
    }
}
