using HospitalFed.Aggregator.Jobs;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Aggregator.Orchestration;

/// <summary>Everything an <see cref="Orchestrator"/> needs: the plan, the parties' trust, the log and the job.</summary>
/// <param name="Plan">The plan to run.</param>
/// <param name="Job">The learning job (round contents and the server update).</param>
/// <param name="Log">The round log; it must already hold the plan's proposal and approvals.</param>
/// <param name="Aggregator">The aggregator's signing identity (signs log entries).</param>
/// <param name="Approvals">The consortium's approval policy (m of n admins).</param>
/// <param name="Trust">Trust in the consortium root, for site certificates and signatures.</param>
/// <param name="Options">Invited sites and deadlines.</param>
public sealed record OrchestratorContext(
    TrainingPlan Plan,
    IFederatedJob Job,
    RoundLog Log,
    SigningIdentity Aggregator,
    ApprovalPolicy Approvals,
    ConsortiumTrust Trust,
    OrchestratorOptions Options)
{
    /// <summary>
    /// Where completed rounds' sums are kept for <see cref="Orchestrator.Restore"/>; none by default
    /// (an aggregator without one cannot be restarted mid-plan).
    /// </summary>
    public IAggregateArchive? Archive { get; init; }

    /// <summary>
    /// Where a plan's set-up outcome (CKKS key holders and their signed key confirmations) is kept
    /// for <see cref="Orchestrator.Restore"/>; none by default (a CKKS plan then cannot be restarted
    /// once its set-up is done).
    /// </summary>
    public ISetupArchive? SetupArchive { get; init; }
}
