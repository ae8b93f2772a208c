using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HospitalFed.Transport.Hosting;

/// <summary>Maps the endpoints every HospitalFed node serves besides its own services.</summary>
public static class NodeServerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>grpc.health.v1.Health</c> (answered from the registered <see cref="NodeHealth"/>, which
    /// turns NOT_SERVING when the application starts stopping) and server reflection
    /// (<c>grpc.reflection.v1alpha</c> and <c>v1</c>), so grpcurl can list and call the node's services.
    /// Call after <see cref="NodeServerServiceCollectionExtensions.AddHospitalFedGrpc"/>; map the
    /// node's own services with <c>MapGrpcService&lt;T&gt;()</c>.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <returns><paramref name="endpoints"/>.</returns>
    public static IEndpointRouteBuilder MapNodeServices(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var health = endpoints.ServiceProvider.GetRequiredService<NodeHealth>();
        endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(health.SetAllNotServing);
        endpoints.MapGrpcService<HealthServiceImpl>();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }
}
