using HospitalFed.Crypto.Quantization;
using HospitalFed.Ledger.Plans;
using HospitalFed.Protocol.V1;

namespace HospitalFed.Site.Rounds.Protection;

/// <summary>
/// The protection-specific half of the <see cref="SiteAgent"/>: how the site's update leaves it
/// (masked, encrypted or, if its policy allows, in the clear) and the protocol tasks in between.
/// The agent keeps the shared flow (plan and approval checks, training, results). Pure: no I/O.
/// </summary>
internal interface ISiteProtection : IDisposable
{
    /// <summary>Reasons specific to this protection to decline <paramref name="invitation"/> (empty: join).</summary>
    IEnumerable<string> Vet(RoundInvitation invitation, TrainingPlan plan);

    /// <summary>Starts protecting <paramref name="update"/> for the invitation's round; takes ownership of the array (zeroed when done).</summary>
    SiteReply Join(RoundInvitation invitation, float[] update, QuantizationPlan quantization);

    /// <summary>
    /// Starts protecting <paramref name="words"/>, an input already encoded in Z_2^32 (a training
    /// round under differential privacy, <see cref="PrivateFedAvgRound.EncodeDelta"/>); takes ownership of the
    /// array (zeroed when done). Only pairwise masking carries such an input; the site declines a plan
    /// with privacy under any other protection before it gets here.
    /// </summary>
    SiteReply JoinEncoded(RoundInvitation invitation, uint[] words, QuantizationPlan quantization) =>
        throw new InvalidOperationException($"round {invitation.Round}: this protection cannot carry a differentially private input; only pairwise masking does");

    /// <summary>Answers a protocol task of this protection, or returns null if the task is not one of its.</summary>
    SiteReply? Handle(SiteTask task);

    /// <summary>Erases the round's secrets and update (plan-long keys stay).</summary>
    void EndRound();
}
