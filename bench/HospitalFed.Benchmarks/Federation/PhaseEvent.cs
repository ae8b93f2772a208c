namespace HospitalFed.Benchmarks.Federation;

/// <summary>The aggregator entered <paramref name="Phase"/> of <paramref name="Round"/>.</summary>
/// <param name="Timestamp">When, in <see cref="TimeProvider.GetTimestamp"/> ticks.</param>
/// <param name="Round">The round.</param>
/// <param name="Phase">The orchestrator phase.</param>
/// <param name="Received">Wire bytes received by the aggregator so far.</param>
/// <param name="Sent">Wire bytes sent by the aggregator so far.</param>
/// <param name="Cpu">CPU time of the whole process (aggregator and every site) so far.</param>
/// <param name="GcPause">Time the process spent paused for garbage collection so far.</param>
/// <param name="Allocated">Bytes the process allocated on the managed heap so far.</param>
internal sealed record PhaseEvent(long Timestamp, long Round, string Phase, long Received, long Sent, TimeSpan Cpu, TimeSpan GcPause, long Allocated);
