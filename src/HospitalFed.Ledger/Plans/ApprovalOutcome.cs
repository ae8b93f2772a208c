namespace HospitalFed.Ledger.Plans;

/// <summary>The result of counting approvals for one plan or round.</summary>
/// <param name="Approved">Whether at least m distinct admins' approvals counted.</param>
/// <param name="Required">m, from the consortium config.</param>
/// <param name="Approvers">The admins whose approval counted, each once.</param>
/// <param name="Refused">Approvals that did not count, each with the reason.</param>
public sealed record ApprovalOutcome(bool Approved, int Required, IReadOnlyList<string> Approvers, IReadOnlyList<string> Refused);
