namespace HospitalFed.Learning.Metrics;

/// <summary>
/// A run of metric sums sharing one bound, for the quantisation of the update vector (the
/// aggregator turns each into a quantisation segment refusing values beyond the bound).
/// </summary>
/// <param name="Name">Segment name for error messages, e.g. "metric-counts".</param>
/// <param name="Length">Number of coordinates.</param>
/// <param name="Bound">The largest absolute value one site's coordinate can take.</param>
/// <param name="IsInteger">True for counts (encoded exactly).</param>
public sealed record MetricSegment(string Name, int Length, double Bound, bool IsInteger);
