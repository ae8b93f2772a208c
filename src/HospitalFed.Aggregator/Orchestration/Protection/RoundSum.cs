namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>The decoded sum of a round and who is in it.</summary>
/// <param name="Sum">The summed update vector.</param>
/// <param name="Digest">SHA-256 (hex) of the protected aggregate, for the log's Aggregate entry.</param>
/// <param name="Contributors">The sites whose inputs are in the sum (ordinal order).</param>
/// <param name="Dropped">Sites invited to the round whose inputs are not in the sum.</param>
internal sealed record RoundSum(double[] Sum, string Digest, IReadOnlyList<string> Contributors, IReadOnlyList<string> Dropped);
