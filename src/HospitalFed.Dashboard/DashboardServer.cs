using System.Net;
using System.Security.Cryptography.X509Certificates;
using HospitalFed.Dashboard.Internal;
using HospitalFed.Dashboard.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Dashboard;

/// <summary>
/// The dashboard as a hosted service: its own Kestrel HTTPS endpoint (separate from the
/// aggregator's site port), read-only pages over the round log, and a timer tailing the log into
/// the live view. Start validates the options and loads the root, CRL and consortium config,
/// failing with a message naming the setting at fault.
/// </summary>
public sealed class DashboardServer : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly DashboardOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IFederationStatus? _status;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DashboardContext? _context;
    private X509Certificate2? _serverCertificate;
    private WebApplication? _app;
    private CancellationTokenSource? _stop;
    private Task? _tail;
    private bool _disposed;

    /// <summary>Creates the server; nothing is opened before <see cref="StartAsync"/>.</summary>
    /// <param name="options">The settings; validated on start.</param>
    /// <param name="loggerFactory">Where the dashboard logs (sign-ins, refusals, log problems).</param>
    /// <param name="status">A live source the host provides; null derives the live view from the round log.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    public DashboardServer(DashboardOptions options, ILoggerFactory loggerFactory, IFederationStatus? status = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _loggerFactory = loggerFactory;
        _status = status;
        _time = time ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger(DashboardLog.Category);
    }

    /// <summary>The origin login links must be made for (<see cref="DashboardOptions.Origin"/>).</summary>
    public string Origin => _options.Origin;

    /// <summary>Validates the options, opens the HTTPS endpoint and starts tailing the round log.</summary>
    /// <exception cref="ArgumentException">A setting is wrong or a file it names is unusable; the message names it.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var context = new DashboardContext(_options, _status, _time);
        X509Certificate2 serverCertificate;
        try
        {
            serverCertificate = X509Certificate2.CreateFromPemFile(_options.Certificate, _options.Key);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
        {
            context.Dispose();
            throw new ArgumentException($"dashboard settings: certificate '{_options.Certificate}' with key '{_options.Key}' is not usable: {ex.Message}", ex);
        }

        var builder = WebApplication.CreateSlimBuilder();
        // The inner host logs nothing itself: ASP.NET Core's request log would write the login
        // link's URL, token included. The dashboard's own events go to the host's logger (DashboardLog).
        builder.Logging.ClearProviders();
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(_options.BindAddress), _options.Port, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = serverCertificate;
                https.ClientCertificateMode = _options.ClientCertificates ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate;
                // Accepted at the handshake so a refused certificate gets a page saying why; every
                // request then checks it against the consortium root and CRL (DashboardEndpoints).
                https.ClientCertificateValidation = (_, _, _) => true;
                https.CheckCertificateRevocation = false;
            }));
        });
        var app = builder.Build();
        DashboardEndpoints.Map(app, context, _logger);
        context.Feed.Poll();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            serverCertificate.Dispose();
            context.Dispose();
            throw; // e.g. the port is taken: Kestrel's message names the address
        }

        _context = context;
        _serverCertificate = serverCertificate;
        _app = app;
        _stop = new CancellationTokenSource();
        _tail = TailAsync(context, _stop.Token);
        DashboardLog.Listening(_logger, context.Origin, _options.BindAddress, _options.Port, _options.Log);
    }

    /// <summary>Stops tailing and closes the endpoint (open event streams end).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is not null && !_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        if (_tail is not null)
        {
            await _tail.ConfigureAwait(false);
        }

        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        _stop?.Dispose();
        _context?.Dispose();
        _serverCertificate?.Dispose();
    }

    /// <summary>Disposes synchronously, for containers disposed without <c>await</c>; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task TailAsync(DashboardContext context, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _time);
        string? reported = null;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                context.Feed.Poll();
                if (context.Feed.Problem is { } problem && problem != reported)
                {
                    DashboardLog.LogUnreadable(_logger, problem);
                }

                reported = context.Feed.Problem;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
