namespace HospitalFed.Aggregator.Hosting;

/// <summary>What <see cref="OrchestratorService"/> does once the plan ended.</summary>
internal sealed class OrchestratorServiceOptions
{
    /// <summary>Keep the host (and so the dashboard) up after the plan ended, until it is stopped; default false: stop with the plan.</summary>
    public bool KeepServing { get; init; }

    /// <summary>Called once when the plan ended and the host stays up (<see cref="KeepServing"/>).</summary>
    public Action? PlanEnded { get; init; }
}
