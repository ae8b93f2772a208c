using HospitalFed.Site.Configuration;
using HospitalFed.Site.Configuration.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HospitalFed.Site.Hosting;

/// <summary>Registers the site service in a Generic Host's container.</summary>
public static class SiteServiceCollectionExtensions
{
    /// <summary>
    /// Binds the site's configuration file to <see cref="IOptions{SiteConfig}"/> and validates it when
    /// the host starts (<c>ValidateOnStart</c>): a file that does not load, a missing input file, an
    /// aggregator that is not https, a malformed plan id or an out-of-range deadline fails
    /// <c>StartAsync</c> with an <see cref="OptionsValidationException"/> whose message names the file
    /// and the key. Also registers the <see cref="SiteRuntime"/> built from it (needs a
    /// <see cref="TimeProvider"/> and logging in the container).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configPath">The site's configuration file (see config/site.json).</param>
    public static IServiceCollection AddSiteRuntime(this IServiceCollection services, string configPath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        services.AddOptions<SiteConfig>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiteConfig>, SiteConfigValidator>();
        services.AddSingleton<IOptionsFactory<SiteConfig>>(provider => new SiteConfigOptionsFactory(
            configPath,
            provider.GetServices<IConfigureOptions<SiteConfig>>(),
            provider.GetServices<IPostConfigureOptions<SiteConfig>>(),
            provider.GetServices<IValidateOptions<SiteConfig>>()));
        services.AddSingleton(provider => SiteRuntime.Create(
            provider.GetRequiredService<IOptions<SiteConfig>>().Value,
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
