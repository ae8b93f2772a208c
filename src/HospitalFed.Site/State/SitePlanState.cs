namespace HospitalFed.Site.State;

/// <summary>
/// What a site remembers about its plan across restarts (kept by <see cref="SiteStateStore"/>): its
/// signed decision, the rounds it joined and unmasked, and the last model it received. No key,
/// share, mask or patient-level value is ever part of it.
/// </summary>
/// <param name="PlanId">The plan this state belongs to.</param>
/// <param name="Accepted">The site's decision on the plan.</param>
/// <param name="Decision">The signed decision entry as sent for the round log (one JSON line), replayed instead of deciding again; null if the site decided out of band.</param>
/// <param name="LastJoinedRound">The last round the site advertised keys for (0 if none); it never joins a round number at or below it again.</param>
/// <param name="UnmaskedRounds">Rounds in which the site answered an unmask request, so its input could be in a revealed sum; capped at the plan's rounds plus one spare (see the agent).</param>
/// <param name="LastCompletedRound">The last round whose result the site received (0 if none).</param>
/// <param name="ModelDigest">The digest of that round's global model, or null.</param>
/// <param name="PlanCompleted">Whether the plan finished with a final model.</param>
public sealed record SitePlanState(
    string PlanId,
    bool Accepted,
    string? Decision,
    long LastJoinedRound,
    int UnmaskedRounds,
    long LastCompletedRound,
    string? ModelDigest,
    bool PlanCompleted);
