using HospitalFed.Site.Configuration;
using HospitalFed.Transport.Telemetry;
using HospitalFed.Cli.Logging;
using HospitalFed.Site.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Cli.Hosting;

/// <summary>
/// The Generic Host of <c>hfed site run</c>: a Worker Service (<see cref="SiteService"/>) with the
/// standard lifetimes, <c>AddSystemd()</c> (READY=1 and STOPPING=1 to systemd's notify socket, journald
/// console format) and <c>AddWindowsService()</c> (the Service Control Manager), each active only when
/// the process was started that way; a console run gets the console lifetime (Ctrl+C, SIGTERM).
/// </summary>
internal static class SiteServiceHost
{
    /// <summary>The Windows service name <c>sc.exe create</c> uses in docs/operations-guide.md.</summary>
    public const string WindowsServiceName = "HospitalFedSite";

    /// <summary>
    /// Builds the host. <paramref name="configPath"/> is loaded and validated when the host starts
    /// (<c>ValidateOnStart</c>), after the logging is up and before systemd hears READY=1.
    /// </summary>
    /// <param name="configPath">The site's configuration file.</param>
    /// <param name="logFile">Also log to this file (<c>--log-file</c>); none when <see langword="null"/>.</param>
    /// <param name="time">The clock of the whole service (deadlines, backoff, certificate validity).</param>
    public static IHost Build(string configPath, string? logFile, TimeProvider time)
    {
        // The package's own test: systemd is the parent process (or PID 1 in a container with a notify socket).
        var systemd = SystemdHelpers.IsSystemdService();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // No appsettings.json or environment configuration from the working directory: site.json is the configuration.
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        ServiceLogging.Configure(builder.Logging, logFile, journald: systemd);
        // The frameworks' own informational chatter (hosting, grpc-dotnet's calls) is not an operator's business.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning);
        // The Generic Host logs a failed start with the exception's full text and stack: that would repeat
        // the one line the command reports, and could carry what the site's messages withhold (an
        // extract's cell value). SiteService catches its worker's failures itself, so nothing else is lost.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSingleton(time);
        builder.Services.AddWindowsService(o => o.ServiceName = WindowsServiceName);
        builder.Services.AddSystemd();

        builder.Services.AddSiteRuntime(configPath);
        builder.Services.AddHospitalFedTelemetry(TelemetryOf(configPath), "hfed-site");
        builder.Services.AddSingleton<SiteService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SiteService>());
        return builder.Build();
    }

    /// <summary>
    /// The config's telemetry section, read ahead of the host (exporters are registered before it
    /// starts); a config that does not load has none here and is refused, with its reason, when
    /// the host validates it on start.
    /// </summary>
    private static TelemetryConfig? TelemetryOf(string configPath)
    {
        try
        {
            return SiteConfig.Load(configPath).Telemetry;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
