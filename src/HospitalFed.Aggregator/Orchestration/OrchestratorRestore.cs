namespace HospitalFed.Aggregator.Orchestration;

/// <summary>What <see cref="Orchestrator.Restore"/> rebuilt from an existing round log.</summary>
/// <param name="CompletedRounds">Completed rounds replayed from the archive (the plan is complete when this reaches its rounds).</param>
/// <param name="LastRound">The highest round number in the log; the next round opened takes the number after it.</param>
/// <param name="AbortedRound">The round the previous process left open, now logged as aborted; null if none was open.</param>
/// <param name="ModelDigest">The global model training continues from (the last completed round's).</param>
public sealed record OrchestratorRestore(int CompletedRounds, long LastRound, long? AbortedRound, string ModelDigest);
