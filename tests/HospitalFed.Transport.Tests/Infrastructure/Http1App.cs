using HospitalFed.Transport.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>An application built with AddRpcServer/MapRpcServices whose endpoint also accepts HTTP/1.1.</summary>
internal sealed class Http1App : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Http1App(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<Http1App> StartAsync(Action<RpcServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddRpcServer(configure);
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        app.MapRpcServices(new DiagnosticsService());
        await app.StartAsync().WaitAsync(TestServers.Timeout);
        return new Http1App(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
