namespace HospitalFed.Crypto.Quantization;

/// <summary>
/// Fixed-point quantisation of an update vector into Z_2^32 such that the sum over up to
/// <see cref="MaxSites"/> sites never wraps, and exact decoding of that sum.
/// </summary>
/// <remarks>
/// Every site's quantised coordinate lies in [-B, B] with B = floor((2^31 - 1) / n_max), so a
/// sum of at most n_max of them lies in [-(2^31 - 1), 2^31 - 1] and reading the 32-bit sum as a
/// two's-complement integer recovers it exactly. A real segment with bound c uses scale B / c
/// and stochastic rounding (unbiased: E[q] = x * scale; Gupta et al. 2015, section 2); an
/// integer segment uses scale 1, which needs c &lt;= B. Decoding divides the integer sum by the
/// scale: the only error is each site's rounding, at most one step 1/scale per site.
/// </remarks>
public sealed class QuantizationPlan
{
    private readonly long[] _starts;
    private readonly double[] _scales;

    /// <summary>Creates and validates the plan.</summary>
    /// <param name="segments">The segments, in vector order.</param>
    /// <param name="maxSites">n_max, the largest number of sites whose values may be summed.</param>
    /// <exception cref="ArgumentException">A segment is malformed or an integer segment's bound does not fit.</exception>
    public QuantizationPlan(IEnumerable<QuantizationSegment> segments, int maxSites)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSites, 1);
        Segments = segments.ToArray();
        if (Segments.Count == 0)
        {
            throw new ArgumentException("a quantisation plan needs at least one segment", nameof(segments));
        }

        MaxSites = maxSites;
        SiteBound = int.MaxValue / maxSites;
        _starts = new long[Segments.Count];
        _scales = new double[Segments.Count];
        long start = 0;
        for (var i = 0; i < Segments.Count; i++)
        {
            var segment = Segments[i] ?? throw new ArgumentException($"segment {i} is null", nameof(segments));
            if (string.IsNullOrWhiteSpace(segment.Name) || segment.Length < 1 || !double.IsFinite(segment.Bound) || segment.Bound <= 0 || !Enum.IsDefined(segment.Clip))
            {
                throw new ArgumentException($"segment {i} ('{segment.Name}') needs a name, a positive length, a positive finite bound and a known clip mode", nameof(segments));
            }

            if (segment.IsInteger && segment.Bound > SiteBound)
            {
                throw new ArgumentException($"integer segment '{segment.Name}' has bound {segment.Bound}, above {SiteBound} = (2^31 - 1) / {maxSites} sites: its sum could wrap", nameof(segments));
            }

            _starts[i] = start;
            _scales[i] = segment.IsInteger ? 1.0 : SiteBound / segment.Bound;
            start += segment.Length;
        }

        Dimension = checked((int)start);
    }

    /// <summary>The segments in vector order.</summary>
    public IReadOnlyList<QuantizationSegment> Segments { get; }

    /// <summary>n_max: the largest number of sites whose sum decodes exactly.</summary>
    public int MaxSites { get; }

    /// <summary>B: the largest absolute quantised value one site contributes.</summary>
    public int SiteBound { get; }

    /// <summary>The vector length: the sum of the segment lengths.</summary>
    public int Dimension { get; }

    /// <summary>The fixed-point scale of segment <paramref name="segment"/>: a value x is encoded as about x * scale.</summary>
    public double Scale(int segment) => _scales[segment];

    /// <summary>The first coordinate of segment <paramref name="segment"/>.</summary>
    public long Start(int segment) => _starts[segment];

    /// <summary>Creates an encoder for one site's update.</summary>
    /// <param name="update">The update vector, <see cref="Dimension"/> floats; read, never copied.</param>
    /// <param name="roundingSeed">A fresh 32-byte random seed for stochastic rounding.</param>
    /// <exception cref="ArgumentException">The update has the wrong length or a non-finite value in an L2 segment.</exception>
    public QuantizationEncoder CreateEncoder(ReadOnlyMemory<float> update, ReadOnlySpan<byte> roundingSeed) => new(this, update, roundingSeed);

    /// <summary>Decodes words [<paramref name="offset"/>, + sum length) of a sum of quantised vectors.</summary>
    public void DecodeSum(ReadOnlySpan<uint> sum, long offset, Span<double> destination)
    {
        if (destination.Length < sum.Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} values; the sum has {sum.Length}", nameof(destination));
        }

        if (offset < 0 || offset + sum.Length > Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"the words [{offset}, {offset + sum.Length}) are outside the vector of {Dimension}");
        }

        for (var s = 0; s < Segments.Count && !sum.IsEmpty; s++)
        {
            var end = _starts[s] + Segments[s].Length;
            if (offset >= end)
            {
                continue;
            }

            var count = (int)Math.Min(sum.Length, end - offset);
            var inverse = 1.0 / _scales[s];
            for (var i = 0; i < count; i++)
            {
                destination[i] = unchecked((int)sum[i]) * inverse; // two's complement: the sum never wraps
            }

            sum = sum[count..];
            destination = destination[count..];
            offset += count;
        }
    }

    /// <summary>Decodes a whole sum vector.</summary>
    public double[] DecodeSum(ReadOnlySpan<uint> sum)
    {
        if (sum.Length != Dimension)
        {
            throw new ArgumentException($"the sum has {sum.Length} words; the plan has {Dimension}", nameof(sum));
        }

        var result = new double[Dimension];
        DecodeSum(sum, 0, result);
        return result;
    }
}
