using HospitalFed.Protocol.V1;

namespace HospitalFed.Aggregator.Orchestration.Protection;

/// <summary>What closing a phase produced: the next phase and its tasks, and possibly the participants or the round's sum.</summary>
/// <param name="Phase">The next phase (ignored when <see cref="Sum"/> is set or <see cref="SetupComplete"/>).</param>
/// <param name="Tasks">The task each site must answer in the next phase.</param>
internal sealed record ProtectionStep(OrchestratorPhase Phase, IReadOnlyDictionary<string, SiteTask> Tasks)
{
    /// <summary>The round's participants (whose inputs are in the sum), to log when input collection closed.</summary>
    public IReadOnlyList<string>? Participants { get; init; }

    /// <summary>The round's decoded sum, when the round is complete.</summary>
    public RoundSum? Sum { get; init; }

    /// <summary>Whether the plan's set-up completed (round 1 opens next).</summary>
    public bool SetupComplete { get; init; }

    /// <summary>The completed set-up's public record, to keep for a restarted aggregator (with <see cref="SetupComplete"/>).</summary>
    public byte[]? SetupRecord { get; init; }

    /// <summary>The same task for every listed site.</summary>
    public static IReadOnlyDictionary<string, SiteTask> Broadcast(IEnumerable<string> sites, SiteTask task) =>
        sites.ToDictionary(s => s, _ => task, StringComparer.Ordinal);
}
