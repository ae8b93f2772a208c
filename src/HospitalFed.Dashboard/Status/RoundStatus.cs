namespace HospitalFed.Dashboard.Status;

/// <summary>Where one plan's current (or last) round stands.</summary>
/// <param name="PlanId">The plan id.</param>
/// <param name="PlanStatus">The plan's state in a few words (e.g. "round 2: collecting uploads", "completed").</param>
/// <param name="Round">The round number; 0 before the first round opens.</param>
/// <param name="Phase">The round's phase (e.g. "open", "collecting uploads", "aggregated", "evaluated", "aborted").</param>
/// <param name="Invited">The sites invited to the round.</param>
/// <param name="Done">The sites whose protected upload arrived.</param>
/// <param name="Dropped">The sites that dropped out, with the stage at which they did.</param>
/// <param name="PhaseTimes">How long each finished phase took, in order.</param>
/// <param name="OpenedAt">When the round opened; null before the first round.</param>
public sealed record RoundStatus(
    string PlanId,
    string PlanStatus,
    long Round,
    string Phase,
    IReadOnlyList<string> Invited,
    IReadOnlyList<string> Done,
    IReadOnlyList<KeyValuePair<string, string>> Dropped,
    IReadOnlyList<KeyValuePair<string, TimeSpan>> PhaseTimes,
    DateTimeOffset? OpenedAt);
