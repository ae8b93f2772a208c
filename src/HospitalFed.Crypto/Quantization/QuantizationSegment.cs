namespace HospitalFed.Crypto.Quantization;

/// <summary>
/// A contiguous run of coordinates of the update vector sharing one bound, clipping rule and
/// rounding rule, for example the weighted model delta, the sample count or the metric sums.
/// </summary>
/// <param name="Name">A name for error messages, such as "weighted-delta" or "sample-count".</param>
/// <param name="Length">The number of coordinates (positive).</param>
/// <param name="Bound">
/// The bound c: every coordinate ends up in [-c, c] (for <see cref="ClipMode.L2"/>, c is the norm
/// bound, which also bounds each coordinate). Positive and finite.
/// </param>
/// <param name="Clip">The clipping rule; <see cref="ClipMode.None"/> refuses out-of-bound values.</param>
/// <param name="IsInteger">
/// If <see langword="true"/>, values are integers (counts) encoded exactly with scale 1 and
/// rounding to nearest; otherwise they use the largest fixed-point scale that cannot wrap, with
/// stochastic rounding. Default <see langword="false"/>.
/// </param>
public sealed record QuantizationSegment(string Name, int Length, double Bound, ClipMode Clip, bool IsInteger = false);
