namespace HospitalFed.Crypto.SecAgg;

/// <summary>The stages of a <see cref="SiteSession"/>, in protocol order.</summary>
public enum SiteStage
{
    /// <summary>Created; next: <see cref="SiteSession.AdvertiseKeys"/>.</summary>
    Created = 0,

    /// <summary>Keys advertised; next: <see cref="SiteSession.ShareKeys"/> with the aggregator's broadcast.</summary>
    KeysAdvertised = 1,

    /// <summary>Shares sent; next: <see cref="SiteSession.ReceiveShares"/>.</summary>
    SharesSent = 2,

    /// <summary>Shares received and mask seeds derived; next: <see cref="SiteSession.MaskInput"/>.</summary>
    ReadyToMask = 3,

    /// <summary>Masked input fully produced; next: <see cref="SiteSession.CheckConsistency"/>.</summary>
    InputSent = 4,

    /// <summary>Survivor set signed; next: <see cref="SiteSession.Unmask"/>.</summary>
    ConsistencySigned = 5,

    /// <summary>Shares revealed; the site's part of the round is over.</summary>
    Completed = 6,

    /// <summary>The site refused a deviation and erased its secrets.</summary>
    Aborted = 7,
}
