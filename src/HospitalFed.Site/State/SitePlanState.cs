namespace HospitalFed.Site.State;

/// <summary>
/// What a site remembers about its plan across restarts (kept by <see cref="SiteStateStore"/>): its
/// signed decision, the rounds it joined and unmasked, the last model it received, and every tree
/// head it countersigned. No key, share, mask or patient-level value is ever part of it.
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
    bool PlanCompleted)
{
    /// <summary>
    /// Every countersignature entry this site signed for the plan (standalone LogLine JSON, oldest
    /// first, sizes strictly growing); empty by default. The last one is where the next consistency
    /// check starts, so it must survive a restart; all of them are what <c>hfed site heads export</c>
    /// gives an auditor for <c>audit verify --head</c>. Kept in its own append-only file by
    /// <see cref="SiteStateStore"/>, not in the state document rewritten at every change.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> Heads { get; init; } = [];

    /// <summary>Why this site refused a tree head (fork or rewrite detected), after which it takes no further part in the plan; null if it never did.</summary>
    public string? HeadRefusal { get; init; }

    /// <summary>Value equality, including the kept heads line by line (a list compares by reference otherwise).</summary>
    public bool Equals(SitePlanState? other) =>
        other is not null && PlanId == other.PlanId && Accepted == other.Accepted && Decision == other.Decision
        && LastJoinedRound == other.LastJoinedRound && UnmaskedRounds == other.UnmaskedRounds
        && LastCompletedRound == other.LastCompletedRound && ModelDigest == other.ModelDigest
        && PlanCompleted == other.PlanCompleted && HeadRefusal == other.HeadRefusal && Heads.SequenceEqual(other.Heads, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(PlanId, LastJoinedRound, UnmaskedRounds, LastCompletedRound, ModelDigest, PlanCompleted, Heads.Count);
}
