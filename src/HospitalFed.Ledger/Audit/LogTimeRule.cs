namespace HospitalFed.Ledger.Audit;

/// <summary>
/// The rule tying entry times to log order. Every party signs its entries with its own clock and
/// revocation is judged at an entry's own time, so a revoked party could otherwise back-date what
/// it signs. The log order is the one clock nobody can rewind: an entry appended after another
/// was signed after it. Hence every entry must be dated no earlier than
/// <see cref="ClockSkewTolerance"/> before the latest-dated entry logged before it (in particular
/// before its own round's round-opened entry). Approvals, site decisions and countersignatures are
/// exempt from that lower bound (<see cref="IsExempt"/>): they are signed ahead of their logging
/// (an admin signs with <c>hfed plan approve</c> before the aggregator starts; a site re-sends a
/// remembered decision, and its last countersignature whenever it reconnects), and back-dating
/// one gains nothing because approvals count only if valid when the round they open starts, a
/// countersignature only attests a head already in the log, and a site's round entries are
/// checked at their own times.
/// </summary>
public static class LogTimeRule
{
    /// <summary>
    /// The largest clock difference between any two parties the audit accepts: 5 minutes, the
    /// same slack the CRL and certificate checks allow. Within it, a back-dated entry cannot be
    /// told from a slow clock (see the auditor's guide).
    /// </summary>
    public static TimeSpan ClockSkewTolerance { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether entries of <paramref name="kind"/> are exempt from the lower time bound (signed ahead of their logging).</summary>
    public static bool IsExempt(Log.LogEntryKind kind) =>
        kind is Log.LogEntryKind.Approval or Log.LogEntryKind.SiteDecision or Log.LogEntryKind.Countersignature;
}
