using System.Security.Cryptography.X509Certificates;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Crypto.Identity;
using HospitalFed.IntegrationTests;
using HospitalFed.Ledger.Pki;
using Microsoft.Extensions.Logging.Abstractions;

namespace HospitalFed.Dashboard.Tests.Browser;

/// <summary>
/// The demo consortium on disk (4 hospitals, 2-of-2 admin approvals, a 3-round pairwise plan),
/// the real <c>hfed aggregator run</c> and <c>hfed site run</c> processes on loopback, and the
/// dashboard in this process pointed at the aggregator's files exactly as phase 2's host will.
/// Disposing stops the dashboard and kills every process started.
/// </summary>
internal sealed class BrowserFederation : IAsyncDisposable
{
    private readonly string _directory;
    private readonly List<HfedProcess> _processes = [];

    private BrowserFederation(string directory, FederationDemoFiles files, DashboardServer dashboard)
    {
        _directory = directory;
        Files = files;
        Dashboard = dashboard;
    }

    public FederationDemoFiles Files { get; }

    public DashboardServer Dashboard { get; }

    public HfedProcess? Aggregator { get; private set; }

    public IReadOnlyList<HfedProcess> Sites => [.. _processes.Skip(1)];

    public static async Task<BrowserFederation> StartDashboardAsync(TimeSpan timeout)
    {
        var directory = Directory.CreateTempSubdirectory("hfed-dash-browser-").FullName;
        var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, "pairwise");
        var dashboard = new DashboardServer(
            new DashboardOptions
            {
                Port = TestEnvironment.FreePort(),
                Certificate = files.PathOf("aggregator.cert.pem"),
                Key = files.PathOf("aggregator.key.pem"),
                Root = files.PathOf("root.cert.pem"),
                Crl = files.PathOf("consortium.crl.pem"),
                Consortium = files.PathOf("consortium.json"),
                Log = files.PathOf("round-log.db"),
                PollInterval = TimeSpan.FromMilliseconds(250),
            },
            NullLoggerFactory.Instance);
        await dashboard.StartAsync(CancellationToken.None).WaitAsync(timeout);
        return new BrowserFederation(directory, files, dashboard);
    }

    /// <summary>Starts the aggregator and the four sites as real processes.</summary>
    public void StartFederation()
    {
        Aggregator = new HfedProcess("aggregator", "run", "--config", Files.PathOf("aggregator.json"));
        _processes.Add(Aggregator);
        foreach (var centre in Files.Centres)
        {
            _processes.Add(new HfedProcess("site", "run", "--config", Files.PathOf($"{centre.Name}.json")));
        }
    }

    /// <summary>Enrolls <paramref name="name"/> (key made here, certificate from the consortium CA) and writes its PEM files.</summary>
    public SigningIdentity Enroll(string name, ConsortiumRole role)
    {
        var (keyPem, csrPem) = SiteEnrollment.CreateRequest(name);
        using var certificate = Files.Authority.Issue(csrPem, role, TimeSpan.FromDays(1), ["localhost"]);
        File.WriteAllText(Files.PathOf($"{name}.cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Files.PathOf($"{name}.key.pem"), keyPem);
        return new SigningIdentity(X509CertificateLoader.LoadCertificate(certificate.RawData), KeyProtection.ImportPem(keyPem, name));
    }

    /// <summary>Revokes <paramref name="party"/> and distributes the new CRL (replaced atomically), as <c>hfed pki revoke</c> does.</summary>
    public void Revoke(SigningIdentity party)
    {
        var crl = Files.PathOf("consortium.crl.pem");
        var staged = crl + ".new";
        File.WriteAllText(staged, Files.Authority.Revoke(File.ReadAllText(crl), party.Certificate, X509RevocationReason.KeyCompromise));
        File.Move(staged, crl, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await Dashboard.DisposeAsync();
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Files.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
