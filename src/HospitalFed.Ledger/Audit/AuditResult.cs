namespace HospitalFed.Ledger.Audit;

/// <summary>The outcome of <see cref="LogVerifier.Verify"/>.</summary>
/// <param name="Failure">The first failure, or null when every check passed.</param>
/// <param name="Summary">What the log shows, up to the failure if there was one.</param>
public sealed record AuditResult(AuditFailure? Failure, AuditSummary Summary)
{
    /// <summary>Whether every check passed.</summary>
    public bool Ok => Failure is null;
}
