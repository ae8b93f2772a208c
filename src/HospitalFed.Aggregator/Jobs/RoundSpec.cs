using HospitalFed.Crypto.Quantization;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Jobs;

/// <summary>What one round asks every site to contribute, and how that vector is quantised.</summary>
/// <param name="Kind">Feature statistics (round 0) or training.</param>
/// <param name="GlobalModel">The model the round starts from (empty for the statistics round).</param>
/// <param name="FeatureStatistics">The consortium's summed feature statistics (empty for the statistics round).</param>
/// <param name="Segments">The quantisation segments of the contributed vector, in order.</param>
public sealed record RoundSpec(RoundKind Kind, float[] GlobalModel, double[] FeatureStatistics, IReadOnlyList<QuantizationSegment> Segments);
