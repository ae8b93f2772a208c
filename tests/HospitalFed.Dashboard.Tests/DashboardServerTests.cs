using System.Collections.Concurrent;
using System.Net;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Simulation;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Dashboard.Tests;

/// <summary>The server over real HTTPS on loopback: start checks, refusals, and what reaches the log.</summary>
[TestFixture]
public sealed class DashboardServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private string _directory = null!;
    private ConsortiumDirectory _consortium = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("hfed-dash-server-").FullName;
        _consortium = ConsortiumDirectory.Create(_directory);
        _consortium.Issue("aggregator", ConsortiumRole.Aggregator);
    }

    [TearDown]
    public void TearDown()
    {
        _consortium.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void StartAsync_CrlFileMissing_ThrowsNamingTheSetting()
    {
        var options = Options();
        options.Crl = Path.Combine(_directory, "missing.crl.pem");
        var server = new DashboardServer(options, LoggerFactory.Create(_ => { }));

        Assert.That(async () => await server.StartAsync(CancellationToken.None).WaitAsync(Timeout), Throws.ArgumentException.With.Message.Contains("crl file").And.Message.Contains("missing.crl.pem"));
    }

    [Test]
    public async Task Login_BadTokenAndAnonymousPage_RefusedAndTheTokenNeverLogged()
    {
        var lines = new ConcurrentQueue<string>();
        using var logs = LoggerFactory.Create(builder => builder.AddProvider(new CollectingProvider(lines)).SetMinimumLevel(LogLevel.Trace));
        var server = new DashboardServer(Options(), logs);
        await using (server)
        {
            await server.StartAsync(CancellationToken.None).WaitAsync(Timeout);
            using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
            const string Secret = "c2VjcmV0LXRva2Vu.c2VjcmV0.c2VjcmV0";

            var login = await client.GetAsync(new Uri($"{server.Origin}/login?token={Secret}")).WaitAsync(Timeout);
            var page = await client.GetAsync(new Uri($"{server.Origin}/audit")).WaitAsync(Timeout);
            var post = await client.PostAsync(new Uri($"{server.Origin}/audit"), null).WaitAsync(Timeout);

            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "read-only");
            Assert.That(await page.Content.ReadAsStringAsync().WaitAsync(Timeout), Does.Contain("Sign in required"));
            Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'"));
            Assert.That(lines, Has.Some.Contains("refused /login"));
            Assert.That(lines, Has.None.Contains(Secret).And.None.Contains("c2VjcmV0"));
        }

        Assert.That(async () => await server.DisposeAsync(), Throws.Nothing, "disposing twice (host and owner) is harmless");
    }

    private DashboardOptions Options() => new()
    {
        Port = FreePort(),
        Certificate = _consortium.PathOf("aggregator.cert.pem"),
        Key = _consortium.PathOf("aggregator.key.pem"),
        Root = _consortium.PathOf(ConsortiumDirectory.RootFile),
        Crl = _consortium.PathOf(ConsortiumDirectory.CrlFile),
        Consortium = _consortium.PathOf(ConsortiumDirectory.ConsortiumFile),
        Log = _consortium.PathOf("round-log.db"),
    };

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CollectingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collecting(lines, categoryName);

        public void Dispose()
        {
        }

        private sealed class Collecting(ConcurrentQueue<string> lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
