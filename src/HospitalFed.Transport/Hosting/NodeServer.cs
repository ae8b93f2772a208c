using Grpc.AspNetCore.Server;
using HospitalFed.Transport.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HospitalFed.Transport.Hosting;

/// <summary>
/// A self-contained grpc-dotnet server on Kestrel for the given services, with health and
/// reflection: what the demo, the tests and the benchmark need. Hosts with more to do (the
/// aggregator) use <see cref="NodeServerServiceCollectionExtensions.AddHospitalFedGrpc"/>,
/// <see cref="RpcKestrelExtensions.ListenRpc"/> and <see cref="NodeServerEndpointRouteBuilderExtensions.MapNodeServices"/> directly.
/// </summary>
public sealed class NodeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NodeServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address clients call, with the actual port (<c>http://</c> for h2c, <c>https://</c> for TLS).</summary>
    public Uri Address { get; }

    /// <summary>The statuses the health service reports.</summary>
    public NodeHealth Health => _app.Services.GetRequiredService<NodeHealth>();

    /// <summary>Validates the options, binds the endpoint and starts serving.</summary>
    /// <param name="host">Endpoint, TLS and keep-alive settings.</param>
    /// <param name="services">The services to expose besides health and reflection.</param>
    /// <param name="configure">Adjusts message limits; grpc-dotnet's defaults otherwise.</param>
    /// <param name="logs">Receives the server's logs at every level (it filters); none by default.</param>
    /// <param name="time">The clock for certificate validity; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    /// <exception cref="IOException">The address could not be bound.</exception>
    public static async Task<NodeServer> StartAsync(
        RpcHostOptions host,
        NodeServices services,
        Action<GrpcServiceOptions>? configure = null,
        ILoggerProvider? logs = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(services);
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(NodeServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            // Every level reaches the given provider, which filters for itself.
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        }

        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddHospitalFedGrpc(configure);
        services.Register(builder.Services);
        builder.WebHost.ConfigureKestrel((_, kestrel) =>
            kestrel.ListenRpc(host, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>(), time));

        var app = builder.Build();
        app.MapNodeServices();
        services.Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address.");
        var address = new UriBuilder(bound) { Scheme = host.ServerCertificate is null ? Uri.UriSchemeHttp : Uri.UriSchemeHttps }.Uri;
        return new NodeServer(app, address);
    }

    /// <summary>Reports NOT_SERVING, stops accepting calls and waits for running calls to finish.</summary>
    /// <param name="cancellationToken">Ends the wait early; running calls are then aborted.</param>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Stops the server (aborting calls still running after 5 seconds) and frees its resources.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
