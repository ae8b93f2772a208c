namespace HospitalFed.Ledger.Log;

/// <summary>The kinds of round-log entry (DESIGN.md "Round log"); the wire name of each is in <see cref="LogEntryKinds"/>.</summary>
public enum LogEntryKind
{
    /// <summary>The CA-signed consortium configuration the plan is governed by (aggregator); always entry 0.</summary>
    Consortium = 1,

    /// <summary>The plan document (aggregator or admin); always entry 1.</summary>
    PlanProposed,

    /// <summary>An admin's approval of the plan (round 0) or of one round (per-round approval).</summary>
    Approval,

    /// <summary>A site's signed accept or refuse after evaluating the plan against its local policy.</summary>
    SiteDecision,

    /// <summary>The aggregator opens a round: global model digest, invited sites, deadline.</summary>
    RoundOpened,

    /// <summary>The sites whose protected updates the aggregate was formed from.</summary>
    Participants,

    /// <summary>A site's digest of the protected update it uploaded.</summary>
    Upload,

    /// <summary>A site dropped out of the round (aggregator).</summary>
    Dropout,

    /// <summary>The digest of the protected aggregate and its contributors (aggregator).</summary>
    Aggregate,

    /// <summary>The new global model's digest, chained to the previous one (aggregator).</summary>
    Model,

    /// <summary>Aggregate metrics of the round (aggregator).</summary>
    Metrics,

    /// <summary>Differential-privacy budget spent in the round and in total (aggregator).</summary>
    PrivacySpend,

    /// <summary>A signed tree head over every entry before it (aggregator).</summary>
    TreeHead,

    /// <summary>A site's countersignature of a tree head it checked was consistent with the last one it signed.</summary>
    Countersignature,

    /// <summary>
    /// The aggregator abandons an open round without a model (for example after its own restart);
    /// the round's masked inputs are never unmasked and the next round gets a fresh number.
    /// </summary>
    RoundAborted,
}
