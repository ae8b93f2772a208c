using HospitalFed.Dashboard;
using HospitalFed.Transport;
using HospitalFed.Transport.Telemetry;
using HospitalFed.Transport.Federation;
using HospitalFed.Transport.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>The aggregator's Generic Host: Kestrel with mutual TLS, grpc-dotnet, the plan as a background service, and the optional dashboard and telemetry.</summary>
public sealed partial class AggregatorRuntime
{
    /// <summary>
    /// Builds the web application that serves the sites: Windows service and systemd integration
    /// (each active only when the process runs as one), the listener's options validated at start,
    /// Federation, health and reflection on Kestrel with mutual TLS, message limits from the model
    /// size, and <see cref="OrchestratorService"/>, which stops the application when the plan ends.
    /// </summary>
    private WebApplication BuildHost(FederationService federation)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AggregatorRuntime).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });

        // The console output of `hfed aggregator run` is documented: only the transport's warnings
        // (TLS refusals, handler failures) join the aggregator's own log lines.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_transportLogs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddWindowsService(options => options.ServiceName = "hfed-aggregator");
        builder.Services.AddSystemd();

        builder.Services.AddSingleton(_time);
        builder.Services.AddSingleton(_runner);
        builder.Services.AddSingleton(federation);
        builder.Services.AddOptions<RpcHostOptions>()
            .Configure(host =>
            {
                host.ListenAddress = _config.ListenAddress;
                host.Port = _config.Port;
                host.ServerCertificate = _tls;
                host.TrustedClientAuthorities = [_root];
                host.ClientCertificatePolicy = certificate =>
                {
                    RefreshRevocation(); // a new connection is a trust decision: take a re-issued CRL first
                    return SiteRefusal(_trust, certificate, _time);
                };
                host.ConnectionMiddleware = ConnectionMiddleware;
            })
            .ValidateOnStart();
        builder.Services.AddHospitalFedGrpc(messages =>
        {
            // Tasks carry the model; CKKS rounds also move the masks out (with every contributor's
            // c1, so it grows with the consortium) and decryption shares in.
            messages.MaxSendMessageSize = _orchestrator.LargestMessageBytes;
            messages.MaxReceiveMessageSize = FederationLimits.TaskMessageBytes(_orchestrator.Job.GlobalModel.Length);
        });
        builder.Services.AddHostedService<OrchestratorService>();
        builder.Services.AddSingleton(new OrchestratorServiceOptions
        {
            KeepServing = _config.Dashboard is { KeepServingAfterPlan: true },
            PlanEnded = () =>
            {
                WriteFinalModel();
                PlanEnded?.Invoke();
            },
        });
        builder.Services.AddHospitalFedTelemetry(_config.Telemetry, "hfed-aggregator");
        if (_config.Dashboard is { } dashboard)
        {
            // Its own HTTPS port and Kestrel, read-only, with the aggregator's certificate; its
            // events go to the aggregator's log (the inner host's request log would hold login tokens).
            builder.Services.AddHospitalFedDashboard(dashboard.ToOptions(_config), _logs, Status);
        }

        builder.WebHost.ConfigureKestrel((_, kestrel) => kestrel.ListenRpc(
            kestrel.ApplicationServices.GetRequiredService<IOptions<RpcHostOptions>>().Value,
            kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>(),
            _time));

        var app = builder.Build();
        app.MapNodeServices();
        app.MapGrpcService<FederationService>();
        return app;
    }
}
