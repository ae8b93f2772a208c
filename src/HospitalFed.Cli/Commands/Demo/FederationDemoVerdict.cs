namespace HospitalFed.Cli.Commands.Demo;

/// <summary>The demo's final verification of its round log, with the heads every site exported.</summary>
/// <param name="Verified">Whether the whole log verified against the sites' heads.</param>
/// <param name="Failure">The first failure when it did not, else null.</param>
/// <param name="Entries">How many entries the round log holds.</param>
/// <param name="TreeHeads">Signed tree heads in the log.</param>
/// <param name="Countersignatures">Sites' countersignatures in the log.</param>
/// <param name="HeldHeads">Heads the sites exported (<c>hfed site heads export</c>) and the verification checked the log against.</param>
/// <param name="LastHeadSize">The entries the last signed head covers.</param>
/// <param name="LastHeadWitnesses">The sites that countersigned the last head.</param>
/// <param name="CutCheck">What verifying the log without its last round, against the same heads, reported (the truncation check at work).</param>
/// <param name="Privacy">Under a plan with differential privacy, the budget the verification recomputed from the log (<see cref="HospitalFed.Ledger.Audit.AuditSummary.PrivacyStatement"/>); else null.</param>
internal sealed record FederationDemoVerdict(
    bool Verified,
    string? Failure,
    long Entries,
    int TreeHeads,
    int Countersignatures,
    int HeldHeads,
    long LastHeadSize,
    IReadOnlyList<string> LastHeadWitnesses,
    string CutCheck,
    string? Privacy = null);
