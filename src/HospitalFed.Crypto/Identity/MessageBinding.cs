namespace HospitalFed.Crypto.Identity;

/// <summary>
/// The context every signed or encrypted HospitalFed message is bound to: which plan, which
/// round, who sent it and for whom. Signing or sealing the same payload under a different
/// binding yields a different transcript, so a message cannot be replayed into another plan
/// or round, nor redirected to another recipient.
/// </summary>
/// <param name="PlanId">The plan id: lower-case hex SHA-256 of the plan's canonical bytes.</param>
/// <param name="Round">The round number; 0 for messages that belong to the plan rather than a round.</param>
/// <param name="Sender">The sender's consortium name (its certificate's common name).</param>
/// <param name="Recipient">The recipient's consortium name, or <see cref="Broadcast"/> for every party.</param>
public readonly record struct MessageBinding(string PlanId, long Round, string Sender, string Recipient)
{
    /// <summary>The recipient name of a message addressed to every party of the plan.</summary>
    public const string Broadcast = "*";
}
