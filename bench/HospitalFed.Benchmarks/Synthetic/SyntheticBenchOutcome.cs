using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Learning.Features;

namespace HospitalFed.Benchmarks.Synthetic;

/// <summary>What a federated run of the synthetic plan produced.</summary>
/// <param name="Parameters">The final global model as the model store holds it: weights, then the bias.</param>
/// <param name="Statistics">The securely summed feature statistics the model standardises with (stored with it).</param>
/// <param name="History">The aggregator's round records (each training round's pooled metrics are of the model it started from).</param>
/// <param name="WallTime">From the aggregator's start to the plan's end (consortium files and cohort not included).</param>
internal sealed record SyntheticBenchOutcome(float[] Parameters, FeatureStatistics Statistics, IReadOnlyList<RoundRecord> History, TimeSpan WallTime);
