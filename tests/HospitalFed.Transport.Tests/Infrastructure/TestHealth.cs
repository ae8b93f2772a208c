using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>grpc.health.v1 calls on the generated client, shaped for the tests' one-line asserts.</summary>
internal static class TestHealth
{
    /// <summary>Checks <paramref name="service"/> ("" is the whole node) and returns its status.</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(GrpcChannel channel, string service = "", CallOptions options = default)
    {
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = service }, options).ResponseAsync.ConfigureAwait(false);
        return reply.Status;
    }

    /// <summary>Watches <paramref name="service"/>; the stream yields its status and every change.</summary>
    public static AsyncServerStreamingCall<HealthCheckResponse> Watch(GrpcChannel channel, string service, CallOptions options) =>
        new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = service }, options);
}
