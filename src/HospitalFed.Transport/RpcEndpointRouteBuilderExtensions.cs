using HospitalFed.Transport.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HospitalFed.Transport;

/// <summary>Maps gRPC services onto ASP.NET Core endpoint routing.</summary>
public static class RpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of <paramref name="services"/> to <c>POST /{package}.{Service}/{Method}</c>, and
    /// any other <c>/{service}/{method}</c> to UNIMPLEMENTED. Call once per application, after
    /// <see cref="RpcServiceCollectionExtensions.AddRpcServer"/>.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="services">The services to expose.</param>
    /// <returns><paramref name="endpoints"/>.</returns>
    public static IEndpointRouteBuilder MapRpcServices(this IEndpointRouteBuilder endpoints, params IEnumerable<IRpcService> services)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(services);
        var provider = endpoints.ServiceProvider;
        var options = provider.GetRequiredService<IOptions<RpcServerOptions>>().Value;
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("HospitalFed.Transport.Server");
        var time = provider.GetService<TimeProvider>() ?? TimeProvider.System;

        var binder = new RpcServiceBinder(options, logger, time);
        foreach (var service in services)
        {
            service.Bind(binder);
        }

        foreach (var (path, endpoint) in binder.Endpoints)
        {
            endpoints.MapPost(path, endpoint).WithDisplayName("gRPC " + path);
        }

        var unimplemented = new UnimplementedCallHandler(binder.Services, logger);
        endpoints.MapPost(ServerConstants.UnimplementedRoute, unimplemented.HandleCallAsync).WithDisplayName("gRPC unimplemented");
        return endpoints;
    }
}
