using Grpc.Health.V1;

namespace HospitalFed.Transport.Health;

/// <summary>The methods of the standard <c>grpc.health.v1.Health</c> service (gRPC "doc/health-checking.md").</summary>
public static class HealthMethods
{
    /// <summary>The service's full name.</summary>
    public const string ServiceName = "grpc.health.v1.Health";

    /// <summary><c>rpc Check(HealthCheckRequest) returns (HealthCheckResponse)</c>.</summary>
    public static Method<HealthCheckRequest, HealthCheckResponse> Check { get; } =
        new(MethodType.Unary, ServiceName, "Check", HealthCheckRequest.Parser, HealthCheckResponse.Parser);

    /// <summary><c>rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse)</c>.</summary>
    public static Method<HealthCheckRequest, HealthCheckResponse> Watch { get; } =
        new(MethodType.ServerStreaming, ServiceName, "Watch", HealthCheckRequest.Parser, HealthCheckResponse.Parser);
}
