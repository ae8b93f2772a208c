namespace HospitalFed.Dashboard.Status;

/// <summary>What is known of one site. Fields the source cannot know are null and shown as "not reported".</summary>
/// <param name="Name">The site's consortium name.</param>
/// <param name="LastSeen">The time of its last signed entry (or, from a live source, its last call).</param>
/// <param name="Connected">Whether it is connected now; null when the source cannot tell (the round log cannot).</param>
/// <param name="Version">The hfed version it reported; null when not reported.</param>
/// <param name="Verdict">Its last preflight or plan verdict, e.g. "accepted" or "refused: epsilon above cap".</param>
public sealed record SiteStatus(string Name, DateTimeOffset? LastSeen, bool? Connected, string? Version, string? Verdict);
