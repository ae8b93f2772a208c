namespace HospitalFed.Benchmarks.Federation;

/// <summary>One round as the aggregator saw it.</summary>
/// <param name="Round">The round (1 = feature statistics).</param>
/// <param name="Seconds">Wall time from opening the round to opening the next (or completing the plan).</param>
/// <param name="Received">Wire bytes the aggregator received during the round.</param>
/// <param name="Sent">Wire bytes the aggregator sent during the round.</param>
/// <param name="CpuSeconds">Process CPU time (aggregator and all sites) during the round.</param>
/// <param name="GcPauseSeconds">Time the process was paused for garbage collection during the round.</param>
/// <param name="Allocated">Bytes allocated on the managed heap during the round.</param>
/// <param name="Phases">Wall and process CPU seconds spent in each orchestrator phase, in order.</param>
internal sealed record RoundMeasure(long Round, double Seconds, long Received, long Sent, double CpuSeconds, double GcPauseSeconds, long Allocated, IReadOnlyList<(string Phase, double Seconds, double CpuSeconds)> Phases)
{
    /// <summary>Splits a plan's phase changes into rounds.</summary>
    public static List<RoundMeasure> From(IReadOnlyList<PhaseEvent> events, TimeProvider time)
    {
        var rounds = new List<RoundMeasure>();
        var opened = events.Where(e => e.Round >= 1).ToList();
        foreach (var group in opened.GroupBy(e => e.Round))
        {
            var first = group.First();
            var end = opened.FirstOrDefault(e => e.Round > first.Round) ?? opened.LastOrDefault(e => e.Phase == "Completed");
            if (end is null || end == first)
            {
                continue; // the round never finished
            }

            var inRound = group.Where(e => e.Phase != "Completed").Append(end).ToList();
            var phases = inRound.Zip(inRound.Skip(1), (a, b) => (a.Phase, time.GetElapsedTime(a.Timestamp, b.Timestamp).TotalSeconds, (b.Cpu - a.Cpu).TotalSeconds)).ToList();
            rounds.Add(new RoundMeasure(
                first.Round,
                time.GetElapsedTime(first.Timestamp, end.Timestamp).TotalSeconds,
                end.Received - first.Received,
                end.Sent - first.Sent,
                (end.Cpu - first.Cpu).TotalSeconds,
                (end.GcPause - first.GcPause).TotalSeconds,
                end.Allocated - first.Allocated,
                phases));
        }

        return rounds;
    }
}
