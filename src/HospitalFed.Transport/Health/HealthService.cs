using System.Threading.Channels;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace HospitalFed.Transport.Health;

/// <summary>
/// The standard health service, so that ordinary tools (grpc_health_probe, grpcurl, load balancers)
/// can probe any HospitalFed node. The empty service name stands for the whole server and starts as
/// SERVING; other services are unknown (NOT_FOUND) until <see cref="SetStatus"/> names them.
/// </summary>
public sealed class HealthService : IRpcService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [string.Empty] = ServingStatus.Serving };
    private readonly List<(string Service, Channel<ServingStatus> Updates)> _watchers = [];

    /// <summary>Sets the status reported for <paramref name="service"/> and notifies its watchers.</summary>
    /// <param name="service">A fully qualified service name, or empty for the whole server.</param>
    /// <param name="status">The status.</param>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            _statuses[service] = status;
            foreach (var (watched, updates) in _watchers)
            {
                if (watched == service)
                {
                    updates.Writer.TryWrite(status);
                }
            }
        }
    }

    /// <inheritdoc />
    public void Bind(RpcServiceBinder binder)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddUnary(HealthMethods.Check, CheckAsync);
        binder.AddServerStreaming(HealthMethods.Watch, WatchAsync);
    }

    private Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context)
    {
        lock (_gate)
        {
            return _statuses.TryGetValue(request.Service, out var status)
                ? Task.FromResult(new HealthCheckResponse { Status = status })
                : throw new RpcException(StatusCode.NotFound, $"Unknown service '{request.Service}'.");
        }
    }

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        // Latest status wins: a slow watcher skips intermediate states rather than buffering them.
        var updates = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        var entry = (request.Service, updates);
        lock (_gate)
        {
            updates.Writer.TryWrite(_statuses.TryGetValue(request.Service, out var current) ? current : ServingStatus.ServiceUnknown);
            _watchers.Add(entry);
        }

        try
        {
            await foreach (var status in updates.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(entry);
            }
        }
    }
}
