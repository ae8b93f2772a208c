using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace HospitalFed.Transport.Hosting;

/// <summary>
/// The statuses a node reports through the standard <c>grpc.health.v1.Health</c> service (served by
/// Grpc.HealthCheck's <see cref="HealthServiceImpl"/>), so that grpc_health_probe, grpcurl and load
/// balancers can probe it. The empty name stands for the whole server and starts as SERVING; other
/// services are unknown (NOT_FOUND) until <see cref="SetStatus"/> names them. When the host stops,
/// every known name turns NOT_SERVING before the listener closes.
/// </summary>
public sealed class NodeHealth
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    /// <summary>Creates the statuses with the whole server SERVING.</summary>
    public NodeHealth() => SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.Serving);

    /// <summary>The gRPC service that answers Check and Watch.</summary>
    public HealthServiceImpl Service { get; } = new();

    /// <summary>Sets the status reported for <paramref name="service"/> and notifies its watchers.</summary>
    /// <param name="service">A fully qualified service name (for example <c>hospitalfed.v1.Federation</c>), or empty for the whole server.</param>
    /// <param name="status">The status.</param>
    public void SetStatus(string service, HealthCheckResponse.Types.ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            _known.Add(service);
            Service.SetStatus(service, status);
        }
    }

    /// <summary>Reports NOT_SERVING for the whole server and every service named so far (shutdown).</summary>
    public void SetAllNotServing()
    {
        lock (_gate)
        {
            foreach (var service in _known)
            {
                Service.SetStatus(service, HealthCheckResponse.Types.ServingStatus.NotServing);
            }
        }
    }
}
