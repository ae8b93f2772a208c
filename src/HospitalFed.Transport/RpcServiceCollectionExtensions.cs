using HospitalFed.Transport.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HospitalFed.Transport;

/// <summary>Registers the gRPC server's options in dependency injection.</summary>
public static class RpcServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RpcServerOptions"/> (validated when the host starts) and
    /// <see cref="TimeProvider.System"/> unless another <see cref="TimeProvider"/> is registered.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The options builder, for example to bind configuration.</returns>
    public static OptionsBuilder<RpcServerOptions> AddRpcServer(this IServiceCollection services, Action<RpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RpcServerOptions>, RpcServerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RpcHostOptions>, RpcHostOptionsValidator>());
        var builder = services.AddOptions<RpcServerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return builder;
    }
}
