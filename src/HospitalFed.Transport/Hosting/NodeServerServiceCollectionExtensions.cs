using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HospitalFed.Transport.Hosting;

/// <summary>Registers grpc-dotnet the way every HospitalFed node serves it.</summary>
public static class NodeServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds grpc-dotnet (<c>AddGrpc</c>) with the call-logging and error interceptors, message limits
    /// (and <see cref="RpcHostOptions"/>, if the host binds them) validated when the host starts, server reflection, <see cref="NodeHealth"/> for the standard
    /// health service, and <see cref="TimeProvider.System"/> unless another clock is registered.
    /// Map the endpoints with <see cref="NodeServerEndpointRouteBuilderExtensions.MapNodeServices"/>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Adjusts message limits; grpc-dotnet's defaults (4 MiB received, unlimited sent) otherwise.</param>
    /// <returns>The gRPC server builder, for per-service options.</returns>
    public static IGrpcServerBuilder AddHospitalFedGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NodeHealth>();
        services.TryAddSingleton(provider => provider.GetRequiredService<NodeHealth>().Service);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrpcServiceOptions>, GrpcServiceOptionsValidator>());
        services.AddOptions<GrpcServiceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RpcHostOptions>, Internal.RpcHostOptionsValidator>());
        services.AddGrpcReflection();
        return services.AddGrpc(options =>
        {
            // Outermost first: telemetry and the logger see the status the error interceptor chose.
            options.Interceptors.Add<TelemetryInterceptor>();
            options.Interceptors.Add<CallLoggingInterceptor>();
            options.Interceptors.Add<ErrorInterceptor>();
            configure?.Invoke(options);
        });
    }
}
