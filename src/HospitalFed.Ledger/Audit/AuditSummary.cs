using System.Globalization;
using HospitalFed.Ledger.Plans;

namespace HospitalFed.Ledger.Audit;

/// <summary>What a verified (or partly verified) log shows, for the summary table and the HTML report.</summary>
public sealed class AuditSummary
{
    /// <summary>The number of entries read.</summary>
    public long Entries { get; set; }

    /// <summary>The plan id.</summary>
    public string? PlanId { get; set; }

    /// <summary>The consortium name from the CA-signed config.</summary>
    public string? Consortium { get; set; }

    /// <summary>m of the m-of-n rule.</summary>
    public int ApprovalThreshold { get; set; }

    /// <summary>n: the admin set.</summary>
    public IReadOnlyList<string> Admins { get; set; } = [];

    /// <summary>Admins whose plan approval counted when training started.</summary>
    public IReadOnlyList<string> PlanApprovers { get; set; } = [];

    /// <summary>Sites that accepted the plan.</summary>
    public List<string> SitesAccepted { get; } = [];

    /// <summary>Sites that refused the plan, with their reasons.</summary>
    public Dictionary<string, string> SitesRefused { get; } = new(StringComparer.Ordinal);

    /// <summary>The planned number of rounds.</summary>
    public long PlannedRounds { get; set; }

    /// <summary>The plan's minimum sites per round.</summary>
    public int MinSites { get; set; }

    /// <summary>The plan's approved differential-privacy budget and mechanism; null when the plan asks for none.</summary>
    public PlanPrivacy? Privacy { get; set; }

    /// <summary>The zCDP rho spent over every privacy-spend entry read (0 when none).</summary>
    public double SpentRho { get; set; }

    /// <summary>The epsilon spent at the plan's delta over every privacy-spend entry read (0 when none).</summary>
    public double SpentEpsilon { get; set; }

    /// <summary>The rounds that logged a privacy spend.</summary>
    public int PrivacyRounds { get; set; }

    /// <summary>
    /// One line on the privacy budget: "spent epsilon X of Y approved (delta D) over N rounds",
    /// or "none" for a plan without differential privacy.
    /// </summary>
    public string PrivacyStatement => Privacy is null
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"spent epsilon {SpentEpsilon:0.####} of {Privacy.Epsilon:G6} approved (delta {Privacy.Delta:0.##e+0}) over {PrivacyRounds} round{(PrivacyRounds == 1 ? "" : "s")}");

    /// <summary>The rounds in the log.</summary>
    public List<RoundSummary> Rounds { get; } = [];

    /// <summary>Signed tree heads in the log.</summary>
    public int TreeHeads { get; set; }

    /// <summary>Countersignatures of tree heads by sites.</summary>
    public int Countersignatures { get; set; }

    /// <summary>The size of the last signed tree head (0 if none).</summary>
    public long LastHeadSize { get; set; }

    /// <summary>Sites that countersigned the last signed tree head.</summary>
    public List<string> LastHeadWitnesses { get; } = [];

    /// <summary>Heads held by the auditor that the log was checked against.</summary>
    public int HeldHeadsChecked { get; set; }

    /// <summary>The Merkle root over every entry read (lower-case hex).</summary>
    public string Root { get; set; } = string.Empty;

    /// <summary>
    /// True when the caller verified without the consortium CRL (<c>--no-revocation-check</c>):
    /// a certificate revoked before it signed was not caught. False (the default) otherwise.
    /// </summary>
    public bool RevocationNotChecked { get; set; }

    /// <summary>Timeline: (index, time, kind, author, round) of every entry read.</summary>
    public List<(long Index, DateTimeOffset Time, string Kind, string Author, long Round)> Timeline { get; } = [];
}
