namespace HospitalFed.Crypto.Quantization;

/// <summary>
/// Brings an update within its segments' bounds without quantising it, for protections that carry
/// real values (CKKS ciphertexts, or the plaintext baseline): the same clipping rules as
/// <see cref="QuantizationEncoder"/>, so every protection sums the same clipped vectors. CKKS also
/// normalises each coordinate to [-1, 1] (divides by its bound), the range its presets are sized
/// for (docs/ckks.md "Error bounds"), and the aggregator scales the decrypted sum back.
/// </summary>
public static class SegmentClipping
{
    /// <summary>Clips <paramref name="update"/> into <paramref name="destination"/> (widened to double), segment by segment.</summary>
    /// <exception cref="ArgumentException">A value is not finite, exceeds the bound of a segment that does not clip, or the lengths differ (the message names the segment and coordinate).</exception>
    public static void Clip(QuantizationPlan plan, ReadOnlySpan<float> update, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (update.Length != plan.Dimension || destination.Length != plan.Dimension)
        {
            throw new ArgumentException($"the plan has {plan.Dimension} coordinates; got {update.Length} values into {destination.Length}");
        }

        for (var s = 0; s < plan.Segments.Count; s++)
        {
            var segment = plan.Segments[s];
            var start = (int)plan.Start(s);
            var values = update.Slice(start, segment.Length);
            var target = destination.Slice(start, segment.Length);
            var factor = 1.0;
            if (segment.Clip == ClipMode.L2)
            {
                // Abadi et al. 2016, section 3.1: scale by min(1, C / ||x||_2)
                double norm = 0;
                foreach (var v in values)
                {
                    norm += (double)v * v;
                }

                norm = Math.Sqrt(norm);
                factor = norm > segment.Bound ? segment.Bound / norm : 1.0;
            }

            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i] * factor;
                if (!double.IsFinite(v))
                {
                    throw new ArgumentException($"segment '{segment.Name}' coordinate {i} is not finite");
                }

                if (segment.Clip != ClipMode.None)
                {
                    v = Math.Clamp(v, -segment.Bound, segment.Bound);
                }
                else if (Math.Abs(v) > segment.Bound)
                {
                    throw new ArgumentException($"segment '{segment.Name}' coordinate {i} exceeds the bound {segment.Bound} and the segment does not clip");
                }

                target[i] = segment.IsInteger ? Math.Round(v, MidpointRounding.ToEven) : v;
            }
        }
    }

    /// <summary>Divides each coordinate by its segment's bound, so clipped values lie in [-1, 1].</summary>
    public static void Normalize(QuantizationPlan plan, Span<double> values) => Scale(plan, values, inverse: true);

    /// <summary>Multiplies each coordinate of a normalised sum by its segment's bound, rounding integer segments to the nearest integer.</summary>
    public static void Denormalize(QuantizationPlan plan, Span<double> values) => Scale(plan, values, inverse: false);

    private static void Scale(QuantizationPlan plan, Span<double> values, bool inverse)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (values.Length != plan.Dimension)
        {
            throw new ArgumentException($"the plan has {plan.Dimension} coordinates; got {values.Length}", nameof(values));
        }

        for (var s = 0; s < plan.Segments.Count; s++)
        {
            var segment = plan.Segments[s];
            var span = values.Slice((int)plan.Start(s), segment.Length);
            var factor = inverse ? 1.0 / segment.Bound : segment.Bound;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] *= factor;
                if (!inverse && segment.IsInteger)
                {
                    span[i] = Math.Round(span[i], MidpointRounding.ToEven);
                }
            }
        }
    }
}
