using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>
/// An HTTP/2 server that answers every request with whatever the test says, to check how the client
/// resolves statuses from responses a real gRPC server would never send.
/// </summary>
internal sealed class RogueServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RogueServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<RogueServer> StartAsync(RequestDelegate respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.Run(respond);
        await app.StartAsync().WaitAsync(TestServers.Timeout);
        return new RogueServer(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
    }
}
