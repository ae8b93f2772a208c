namespace HospitalFed.Ledger.Plans;

/// <summary>How site updates are protected before they leave the site.</summary>
public enum Protection
{
    /// <summary>Pairwise masking with secret-shared seeds (Bonawitz et al., CCS 2017); wire name "pairwise".</summary>
    Pairwise = 1,

    /// <summary>Multiparty CKKS under a key nobody holds (Mouchet et al., PETS 2021); wire name "ckks".</summary>
    Ckks = 2,

    /// <summary>
    /// No protection: sites send their raw weighted update and the aggregator sees each one; wire
    /// name "none". A baseline for benchmarks only; sites refuse it unless their policy allows it.
    /// </summary>
    None = 3,
}
