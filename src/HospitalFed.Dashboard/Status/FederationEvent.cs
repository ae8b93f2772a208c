namespace HospitalFed.Dashboard.Status;

/// <summary>One thing that happened in the federation.</summary>
/// <param name="At">When it happened (the author's clock for a round-log entry).</param>
/// <param name="PlanId">The plan it belongs to.</param>
/// <param name="Round">The round (0 for plan-level events).</param>
/// <param name="Author">Who did it (a site, an admin, the aggregator).</param>
/// <param name="Description">What happened, in a few words; never key material or patient-level values.</param>
public sealed record FederationEvent(DateTimeOffset At, string PlanId, long Round, string Author, string Description);
