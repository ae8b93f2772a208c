using HospitalFed.Ledger.Audit;

namespace HospitalFed.Cli.Commands.Demo;

/// <summary>What <c>hfed demo</c> produced.</summary>
/// <param name="FinalModel">The digest of the final global model.</param>
/// <param name="Rows">The final table.</param>
/// <param name="Log">The verification of the round log against the heads the sites countersigned.</param>
/// <param name="KeptDirectory">The consortium directory when kept (--keep), else null.</param>
/// <param name="Secure">The last round of the verified log with pooled metrics from secure sums (of the model it started from), or null.</param>
internal sealed record FederationDemoResult(string FinalModel, IReadOnlyList<FederationDemoRow> Rows, FederationDemoVerdict Log, string? KeptDirectory, RoundSummary? Secure);
