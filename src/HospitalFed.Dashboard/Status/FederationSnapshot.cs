namespace HospitalFed.Dashboard.Status;

/// <summary>The federation at one moment.</summary>
/// <param name="At">When the snapshot was taken.</param>
/// <param name="Rounds">The latest round of each plan, newest plan activity first.</param>
/// <param name="Sites">Every site known, by name.</param>
public sealed record FederationSnapshot(DateTimeOffset At, IReadOnlyList<RoundStatus> Rounds, IReadOnlyList<SiteStatus> Sites)
{
    /// <summary>Nothing known yet.</summary>
    public static FederationSnapshot Empty { get; } = new(DateTimeOffset.MinValue, [], []);
}
