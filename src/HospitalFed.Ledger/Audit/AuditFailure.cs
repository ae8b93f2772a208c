namespace HospitalFed.Ledger.Audit;

/// <summary>The first thing that failed when verifying a log.</summary>
/// <param name="Index">The entry index (0-based line number) where it failed.</param>
/// <param name="What">What was being checked, e.g. "signature", "approvals", "tree head".</param>
/// <param name="Why">Why it failed, naming the parties and values involved.</param>
public sealed record AuditFailure(long Index, string What, string Why)
{
    /// <inheritdoc />
    public override string ToString() => $"entry {Index}: {What}: {Why}";
}
