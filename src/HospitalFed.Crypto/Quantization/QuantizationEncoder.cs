using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HospitalFed.Crypto.Primitives;

namespace HospitalFed.Crypto.Quantization;

/// <summary>
/// Quantises one site's update chunk by chunk (so a 100M-coordinate update never needs a
/// second full-size buffer). Created by <see cref="QuantizationPlan.CreateEncoder"/>.
/// </summary>
public sealed class QuantizationEncoder : IDisposable
{
    private const double TwoToMinus32 = 1.0 / 4294967296.0;

    private readonly QuantizationPlan _plan;
    private readonly ReadOnlyMemory<float> _update;
    private readonly double[] _factors;
    private readonly MaskPrg _rounding;
    private uint[] _random = [];

    internal QuantizationEncoder(QuantizationPlan plan, ReadOnlyMemory<float> update, ReadOnlySpan<byte> roundingSeed)
    {
        if (update.Length != plan.Dimension)
        {
            throw new ArgumentException($"the update has {update.Length} values; the plan expects {plan.Dimension}", nameof(update));
        }

        _plan = plan;
        _update = update;
        _factors = new double[plan.Segments.Count];
        for (var s = 0; s < plan.Segments.Count; s++)
        {
            _factors[s] = plan.Segments[s].Clip == ClipMode.L2 ? L2Factor(s) : 1.0;
        }

        _rounding = new MaskPrg(roundingSeed);
    }

    /// <summary>Writes the quantised words [<paramref name="offset"/>, + destination length).</summary>
    /// <exception cref="ArgumentException">A value is not finite, or exceeds the bound of a segment that does not clip.</exception>
    public void Encode(long offset, Span<uint> destination)
    {
        if (offset < 0 || offset + destination.Length > _plan.Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"the words [{offset}, {offset + destination.Length}) are outside the vector of {_plan.Dimension}");
        }

        if (_random.Length < destination.Length)
        {
            _random = new uint[destination.Length];
        }

        var random = _random.AsSpan(0, destination.Length);
        _rounding.Generate(offset, random);
        var values = _update.Span.Slice((int)offset, destination.Length);
        for (var s = 0; s < _plan.Segments.Count && !destination.IsEmpty; s++)
        {
            var end = _plan.Start(s) + _plan.Segments[s].Length;
            if (offset >= end)
            {
                continue;
            }

            var count = (int)Math.Min(destination.Length, end - offset);
            EncodeSegment(s, offset, values[..count], random[..count], destination[..count]);
            values = values[count..];
            random = random[count..];
            destination = destination[count..];
            offset += count;
        }
    }

    /// <summary>Releases the rounding PRG.</summary>
    public void Dispose() => _rounding.Dispose();

    private void EncodeSegment(int s, long offset, ReadOnlySpan<float> values, ReadOnlySpan<uint> random, Span<uint> destination)
    {
        var done = _plan.Segments[s].IsInteger ? 0 : EncodeVectorized(s, values, random, destination);
        EncodeScalar(s, offset + done, values[done..], random[done..], destination[done..]);
    }

    /// <summary>
    /// The same arithmetic as <see cref="EncodeScalar"/>, eight coordinates at a time in 256-bit
    /// vectors (bit-for-bit identical results). Stops early at a block holding a value it must
    /// refuse, so the scalar path reports exactly which coordinate was wrong.
    /// </summary>
    /// <returns>How many leading coordinates were encoded.</returns>
    private int EncodeVectorized(int s, ReadOnlySpan<float> values, ReadOnlySpan<uint> random, Span<uint> destination)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        var segment = _plan.Segments[s];
        var factor = Vector256.Create(_factors[s]);
        var bound = Vector256.Create(segment.Bound);
        var scale = Vector256.Create(_plan.Scale(s));
        var limit = Vector256.Create((double)_plan.SiteBound);
        var clip = segment.Clip != ClipMode.None;
        ref var x = ref MemoryMarshal.GetReference(values);
        ref var r = ref MemoryMarshal.GetReference(random);
        ref var y = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
        {
            var (x0, x1) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)i));
            var (r0, r1) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)i));
            if (!TryQuantize(x0 * factor, r0, bound, scale, limit, clip, out var q0) || !TryQuantize(x1 * factor, r1, bound, scale, limit, clip, out var q1))
            {
                break;
            }

            Vector256.Narrow(q0, q1).StoreUnsafe(ref y, (nuint)i);
        }

        return i;
    }

    private static bool TryQuantize(Vector256<double> v, Vector256<ulong> random, Vector256<double> bound, Vector256<double> scale, Vector256<double> limit, bool clip, out Vector256<ulong> words)
    {
        // 2^52 + 2^51: adding it to an integer-valued double below 2^51 in magnitude leaves the
        // integer's two's complement in the low mantissa bits.
        var magic = Vector256.Create(6755399441055744.0);
        var twoTo52 = Vector256.Create(4503599627370496.0);
        words = default;
        if (!Vector256.EqualsAll(v - v, Vector256<double>.Zero))
        {
            return false; // NaN or infinity: let the scalar path name the coordinate
        }

        if (clip)
        {
            v = Vector256.Min(Vector256.Max(v, -bound), bound);
        }
        else if (!Vector256.LessThanOrEqualAll(Vector256.Abs(v), bound))
        {
            return false;
        }

        var scaled = v * scale;
        var floor = Vector256.Floor(scaled);
        var uniform = (random | Vector256.Create(0x4330000000000000UL)).AsDouble() - twoTo52; // exact uint -> double
        var up = Vector256.LessThan(uniform, (scaled - floor) * 4294967296.0) & Vector256<double>.One;
        var q = Vector256.Min(Vector256.Max(floor + up, -limit), limit);
        words = (q + magic).AsUInt64();
        return true;
    }

    private void EncodeScalar(int s, long offset, ReadOnlySpan<float> values, ReadOnlySpan<uint> random, Span<uint> destination)
    {
        var segment = _plan.Segments[s];
        var bound = segment.Bound;
        var factor = _factors[s];
        var scale = _plan.Scale(s);
        var limit = (double)_plan.SiteBound;
        var clip = segment.Clip != ClipMode.None;
        for (var i = 0; i < values.Length; i++)
        {
            double v = values[i];
            v *= factor;
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"segment '{segment.Name}' coordinate {offset + i - _plan.Start(s)} is not finite");
            }

            if (clip)
            {
                v = Math.Clamp(v, -bound, bound);
            }
            else if (Math.Abs(v) > bound)
            {
                throw new ArgumentException($"segment '{segment.Name}' coordinate {offset + i - _plan.Start(s)} exceeds the bound {bound} and the segment does not clip");
            }

            double q;
            if (segment.IsInteger)
            {
                q = Math.Round(v, MidpointRounding.ToEven);
            }
            else
            {
                // Stochastic rounding: up with probability equal to the fractional part.
                var scaled = v * scale;
                var floor = Math.Floor(scaled);
                q = floor + ((random[i] * TwoToMinus32) < (scaled - floor) ? 1.0 : 0.0);
            }

            destination[i] = unchecked((uint)(int)Math.Clamp(q, -limit, limit));
        }
    }

    private double L2Factor(int s)
    {
        var segment = _plan.Segments[s];
        var values = _update.Span.Slice((int)_plan.Start(s), segment.Length);
        var sum = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"segment '{segment.Name}' coordinate {i} is not finite");
            }

            sum += v * v;
        }

        var norm = Math.Sqrt(sum);
        return norm > segment.Bound ? segment.Bound / norm : 1.0;
    }
}
