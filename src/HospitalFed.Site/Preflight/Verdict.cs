namespace HospitalFed.Site.Preflight;

/// <summary>The outcome of one preflight item.</summary>
public enum Verdict
{
    /// <summary>Ready.</summary>
    Pass = 0,

    /// <summary>Works, but needs attention soon (e.g. a certificate close to expiry, no CRL).</summary>
    Warn = 1,

    /// <summary>The site cannot take part until this is fixed.</summary>
    Fail = 2,
}
