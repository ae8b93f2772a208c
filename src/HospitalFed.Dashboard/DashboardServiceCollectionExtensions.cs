using HospitalFed.Dashboard.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Dashboard;

/// <summary>Registers the dashboard in a host: <c>services.AddHospitalFedDashboard(configuration.GetSection("dashboard"))</c>.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DashboardServer"/> as a hosted service with options bound from
    /// <paramref name="section"/> (keys as <see cref="DashboardOptions"/>' properties, camelCase
    /// accepted). If the host registered an <see cref="IFederationStatus"/>, the live view uses it;
    /// otherwise it is derived from the round log.
    /// </summary>
    public static IServiceCollection AddHospitalFedDashboard(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = new DashboardOptions();
        section.Bind(options);
        return services.AddHospitalFedDashboard(options);
    }

    /// <summary>
    /// Adds <see cref="DashboardServer"/> as a hosted service with <paramref name="options"/>, logging
    /// to <paramref name="logs"/> (not the host's own logging) and showing <paramref name="status"/>
    /// live over the round log: how a service that already has its logs and live state hosts it.
    /// </summary>
    public static IServiceCollection AddHospitalFedDashboard(this IServiceCollection services, DashboardOptions options, ILoggerFactory logs, IFederationStatus? status)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logs);
        services.AddSingleton(provider => new DashboardServer(options, logs, status, provider.GetService<TimeProvider>()));
        services.AddHostedService(provider => provider.GetRequiredService<DashboardServer>());
        return services;
    }

    /// <summary>Adds <see cref="DashboardServer"/> as a hosted service with <paramref name="options"/> (validated when it starts).</summary>
    public static IServiceCollection AddHospitalFedDashboard(this IServiceCollection services, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(provider => new DashboardServer(
            options,
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetService<IFederationStatus>(),
            provider.GetService<TimeProvider>()));
        services.AddHostedService(provider => provider.GetRequiredService<DashboardServer>());
        return services;
    }
}
