using Grpc.Health.V1;

namespace HospitalFed.Transport.Health;

/// <summary>Calls a node's standard health service.</summary>
/// <param name="channel">The channel to the node.</param>
public sealed class HealthClient(RpcChannel channel)
{
    /// <summary>Asks whether <paramref name="service"/> (empty: the whole server) is serving.</summary>
    /// <param name="service">A fully qualified service name, or empty.</param>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The reported status.</returns>
    /// <exception cref="RpcException">NOT_FOUND for an unknown service; any transport failure.</exception>
    public async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(string service = "", CallOptions options = default)
    {
        var response = await channel.UnaryAsync(HealthMethods.Check, new HealthCheckRequest { Service = service }, options).ConfigureAwait(false);
        return response.Status;
    }

    /// <summary>Watches the status of <paramref name="service"/>: the current one, then every change.</summary>
    /// <param name="service">A fully qualified service name, or empty.</param>
    /// <param name="options">Deadline, metadata, cancellation.</param>
    /// <returns>The call; read its responses, then dispose it.</returns>
    public AsyncServerStreamingCall<HealthCheckResponse> Watch(string service = "", CallOptions options = default) =>
        channel.ServerStreaming(HealthMethods.Watch, new HealthCheckRequest { Service = service }, options);
}
