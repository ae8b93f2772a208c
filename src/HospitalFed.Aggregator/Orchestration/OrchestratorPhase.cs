namespace HospitalFed.Aggregator.Orchestration;

/// <summary>Where the orchestrator is in a plan.</summary>
public enum OrchestratorPhase
{
    /// <summary>Not started: approvals not yet checked.</summary>
    Created = 0,

    /// <summary>Approved; waiting for the invited sites to connect (or the join deadline).</summary>
    WaitingForSites = 1,

    /// <summary>Round open: collecting key advertisements (SecAgg stage 0).</summary>
    AdvertisingKeys = 2,

    /// <summary>Collecting sealed shares (stage 1).</summary>
    SharingKeys = 3,

    /// <summary>Collecting masked inputs (stage 2).</summary>
    CollectingInputs = 4,

    /// <summary>Collecting signatures on the survivor set (stage 3).</summary>
    CheckingConsistency = 5,

    /// <summary>Collecting unmask responses (stage 4).</summary>
    Unmasking = 6,

    /// <summary>Every round done.</summary>
    Completed = 7,

    /// <summary>The plan stopped: too few sites, or a round could not complete safely.</summary>
    Failed = 8,
}
