namespace HospitalFed.Crypto.SecAgg;

/// <summary>Why a secure-aggregation state machine refused a message or aborted.</summary>
public enum SecAggFailure
{
    /// <summary>The message belongs to another stage of the protocol.</summary>
    WrongStage = 1,

    /// <summary>The message names another plan.</summary>
    WrongPlan = 2,

    /// <summary>The message names another round (for example a replay of an old round).</summary>
    WrongRound = 3,

    /// <summary>The message's sender or recipient is not who it must be (unknown, not in the required set, or not this party).</summary>
    WrongParty = 4,

    /// <summary>The message repeats one already accepted from the same sender.</summary>
    Duplicate = 5,

    /// <summary>The message is malformed (wrong sizes, offsets, orders or contents).</summary>
    Malformed = 6,

    /// <summary>A certificate or signature failed verification against the consortium root.</summary>
    InvalidSignature = 7,

    /// <summary>A sealed share failed authentication.</summary>
    InvalidShare = 8,

    /// <summary>Fewer than t parties remain for the stage; the round cannot complete safely.</summary>
    TooFewSurvivors = 9,

    /// <summary>The aggregator asked for both the mask-seed share and the mask-key share of one site.</summary>
    BothSharesRequested = 10,

    /// <summary>The survivor set differs from the one this site signed, or is otherwise inconsistent.</summary>
    InconsistentSurvivors = 11,

    /// <summary>Fewer than t valid consistency signatures accompany the unmasking request.</summary>
    TooFewSignatures = 12,

    /// <summary>Revealed shares do not reconstruct a secret consistent with the advertised keys.</summary>
    InconsistentShares = 13,

    /// <summary>A site stopped in the middle of its masked input; its partial sum cannot be removed.</summary>
    PartialMaskedInput = 14,
}
