namespace HospitalFed.Ledger.Plans;

/// <summary>How site updates are protected before they leave the site.</summary>
public enum Protection
{
    /// <summary>Pairwise masking with secret-shared seeds (Bonawitz et al., CCS 2017); wire name "pairwise".</summary>
    Pairwise = 1,

    /// <summary>Multiparty CKKS under a key nobody holds (Mouchet et al., PETS 2021); wire name "ckks".</summary>
    Ckks = 2,
}
