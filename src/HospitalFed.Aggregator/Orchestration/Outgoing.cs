using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration;

/// <summary>A task the host must push down <paramref name="Recipient"/>'s subscription stream.</summary>
/// <param name="Recipient">The site's certificate name.</param>
/// <param name="Task">The task.</param>
public sealed record Outgoing(string Recipient, SiteTask Task);
