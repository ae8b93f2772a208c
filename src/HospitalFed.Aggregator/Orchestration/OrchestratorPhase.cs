namespace HospitalFed.Aggregator.Orchestration;

/// <summary>Where the orchestrator is in a plan.</summary>
public enum OrchestratorPhase
{
    /// <summary>Not started: approvals not yet checked.</summary>
    Created = 0,

    /// <summary>Approved; waiting for the invited sites to connect (or the join deadline).</summary>
    WaitingForSites = 1,

    /// <summary>Pairwise round open: collecting key advertisements (SecAgg stage 0).</summary>
    AdvertisingKeys = 2,

    /// <summary>Collecting sealed shares (stage 1).</summary>
    SharingKeys = 3,

    /// <summary>Collecting protected inputs: masked (SecAgg stage 2), CKKS-encrypted or plain. CKKS and plain rounds open here.</summary>
    CollectingInputs = 4,

    /// <summary>Collecting signatures on the survivor set (stage 3).</summary>
    CheckingConsistency = 5,

    /// <summary>Collecting unmask responses (stage 4).</summary>
    Unmasking = 6,

    /// <summary>Every round done.</summary>
    Completed = 7,

    /// <summary>The plan stopped: too few sites, or a round could not complete safely.</summary>
    Failed = 8,

    /// <summary>CKKS plan set-up: collecting signed public-key shares and share-sealing keys.</summary>
    CkksKeyGeneration = 9,

    /// <summary>CKKS plan set-up: collecting the sealed threshold key shares.</summary>
    CkksThresholdSharing = 10,

    /// <summary>CKKS plan set-up: collecting every key holder's signed digest of the collective public key.</summary>
    CkksKeyConfirmation = 11,

    /// <summary>CKKS round: collecting signed decryption shares of the aggregate from the active set.</summary>
    Decrypting = 12,

    /// <summary>
    /// Every round done; collecting the sites' countersignatures of the plan's final tree head until
    /// each connected participant answered or the phase deadline (a silent site costs only its own
    /// countersignature), then <see cref="Completed"/>.
    /// </summary>
    Countersigning = 13,
}
