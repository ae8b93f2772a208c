using HospitalFed.Crypto.Quantization;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>
/// The protection-specific half of the <see cref="Orchestrator"/>: the phases between a round's
/// invitation and its sum (and an optional plan set-up before round 1). The orchestrator keeps
/// the shared flow (who is awaited, deadlines, dropouts, the log, invitations and results); an
/// implementation only turns site messages into the next phase's tasks and finally into a sum.
/// Pure like the orchestrator: no I/O.
/// </summary>
internal interface IRoundProtection : IDisposable
{
    /// <summary>The phase a round opens in: sites answer the invitation in it.</summary>
    OrchestratorPhase InvitationPhase { get; }

    // The defaults describe a protection without a plan set-up (pairwise, plaintext); CKKS overrides them.

    /// <summary>Sites that may be invited to rounds (the set-up's key holders), or null when any accepted site may.</summary>
    IReadOnlyCollection<string>? Members => null;

    /// <summary>Starts the plan's set-up with <paramref name="sites"/> (the set-up task carries the admins' <paramref name="approvals"/>), or returns null when the protection needs none.</summary>
    ProtectionStep? BeginSetup(IReadOnlyList<string> sites, IEnumerable<Google.Protobuf.ByteString> approvals) => null;

    /// <summary>
    /// The largest message this protection exchanges with a site in a consortium of
    /// <paramref name="sites"/> sites, in bytes, or 0 when the model-sized limit covers it.
    /// </summary>
    long LargestMessageBytes(int sites) => 0;

    /// <summary>Whether the protection runs a once-per-plan set-up whose outcome a restarted aggregator must restore.</summary>
    bool HasSetup => false;

    /// <summary>
    /// Restores a completed set-up from the record its closing <see cref="ProtectionStep.SetupRecord"/>
    /// carried, verifying it first; <see cref="BeginSetup"/> then returns null.
    /// </summary>
    /// <exception cref="OrchestratorException">The record is malformed, inconsistent or carries a signature that does not verify, or the protection has no set-up.</exception>
    void RestoreSetup(ReadOnlySpan<byte> record) =>
        throw new OrchestratorException("A set-up record was found, but this plan's protection runs no set-up.");

    /// <summary>Opens round <see cref="RoundInvitation.Round"/>: fills the protection's fields of <paramref name="invitation"/>.</summary>
    void OpenRound(RoundInvitation invitation, IReadOnlyList<string> participants, QuantizationPlan quantization);

    /// <summary>The phase <paramref name="message"/> belongs to and the name it is signed under, or null if this protection does not use it.</summary>
    (OrchestratorPhase Phase, string SignedAs)? Classify(SiteMessage message);

    /// <summary>Accepts a classified message; returns whether the sender has now answered the phase.</summary>
    /// <exception cref="OrchestratorException">The message is refused (the state is unchanged).</exception>
    bool Receive(string sender, SiteMessage message);

    /// <summary>Accepts one chunk of a pairwise-masked input.</summary>
    void Receive(string sender, SecAggMaskedInputChunk chunk);

    /// <summary>Accepts one chunk of a CKKS or plain input.</summary>
    void Receive(string sender, ProtectedInputChunk chunk);

    /// <summary>The digest and size of <paramref name="sender"/>'s complete upload, as its signed Upload entry must state them.</summary>
    /// <exception cref="OrchestratorException">No complete upload from the sender.</exception>
    (string Digest, long Bytes) PendingUpload(string sender);

    /// <summary>The sender's signed Upload entry matched: its input counts from now on.</summary>
    void CommitUpload(string sender);

    /// <summary>The dropout stage name logged for a site silent in <paramref name="phase"/>.</summary>
    string StageName(OrchestratorPhase phase);

    /// <summary>Closes <paramref name="phase"/>; <paramref name="silent"/> are the sites that did not answer.</summary>
    /// <exception cref="RoundAbortedException">The round (or set-up) cannot complete safely.</exception>
    /// <exception cref="HospitalFed.Crypto.SecAgg.SecAggException">The pairwise session refused to close.</exception>
    ProtectionStep Close(OrchestratorPhase phase, IReadOnlyCollection<string> silent);

    /// <summary>Erases the round's state (called after a result or an abort).</summary>
    void EndRound();
}
