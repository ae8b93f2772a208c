namespace HospitalFed.Cli.Commands.Demo;

/// <summary>What <c>hfed demo</c> produced.</summary>
/// <param name="FinalModel">The digest of the final global model.</param>
/// <param name="Rows">The final table.</param>
/// <param name="LogVerified">Whether the round log verified.</param>
/// <param name="LogEntries">How many entries the round log holds.</param>
/// <param name="KeptDirectory">The consortium directory when kept (--keep), else null.</param>
internal sealed record FederationDemoResult(string FinalModel, IReadOnlyList<FederationDemoRow> Rows, bool LogVerified, long LogEntries, string? KeptDirectory);
