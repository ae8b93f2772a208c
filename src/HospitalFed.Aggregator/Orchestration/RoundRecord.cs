namespace HospitalFed.Aggregator.Orchestration;

/// <summary>The outcome of one completed round.</summary>
/// <param name="Round">The round number (0 = feature statistics).</param>
/// <param name="Contributors">The sites whose inputs are in the sum.</param>
/// <param name="Dropped">Sites that shared keys but whose input is not in the sum.</param>
/// <param name="ModelDigest">SHA-256 (hex) of the global model after the round.</param>
/// <param name="Metrics">Pooled metrics of the model the round started from (training rounds).</param>
public sealed record RoundRecord(long Round, IReadOnlyList<string> Contributors, IReadOnlyList<string> Dropped, string ModelDigest, IReadOnlyDictionary<string, double> Metrics);
