namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>Picks the <see cref="IRoundProtection"/> a plan asks for.</summary>
internal static class RoundProtections
{
    public static IRoundProtection Create(OrchestratorContext context, TimeProvider time) => context.Plan.Protection switch
    {
        HospitalFed.Ledger.Plans.Protection.Pairwise => new PairwiseProtection(context.Plan, context.Trust, context.Options.ChunkWords, time),
        HospitalFed.Ledger.Plans.Protection.Ckks => new CkksProtection(context.Plan, context.Trust, context.Aggregator.Name, MaxValues(context), time),
        HospitalFed.Ledger.Plans.Protection.None => new PlaintextProtection(context.Plan),
        var other => throw new OrchestratorException($"Plan {context.Plan.Id} asks for {other} protection, which this aggregator does not run."),
    };

    /// <summary>The longest vector any round of the plan sums (statistics round, then training rounds).</summary>
    private static long MaxValues(OrchestratorContext context) =>
        Enumerable.Range(1, (int)Math.Min(2, context.Job.Rounds)).Max(r => context.Job.Describe(r).Segments.Sum(s => (long)s.Length));
}
