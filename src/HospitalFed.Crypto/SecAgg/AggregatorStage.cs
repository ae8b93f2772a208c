namespace HospitalFed.Crypto.SecAgg;

/// <summary>The stages of an <see cref="AggregatorSession"/>, in protocol order.</summary>
public enum AggregatorStage
{
    /// <summary>Accepting key advertisements (U1).</summary>
    CollectingKeys = 0,

    /// <summary>Accepting sealed shares (U2).</summary>
    CollectingShares = 1,

    /// <summary>Accepting masked-input chunks (U3).</summary>
    CollectingMaskedInputs = 2,

    /// <summary>Accepting consistency signatures (U4).</summary>
    CollectingConsistencyChecks = 3,

    /// <summary>Accepting revealed shares (U5).</summary>
    CollectingUnmaskResponses = 4,

    /// <summary>The sum is unmasked.</summary>
    Completed = 5,

    /// <summary>The round cannot complete (too few survivors, a partial upload, or inconsistent shares).</summary>
    Aborted = 6,
}
