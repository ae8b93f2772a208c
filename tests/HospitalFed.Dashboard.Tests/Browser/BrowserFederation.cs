using System.Security.Cryptography.X509Certificates;
using HospitalFed.Cli.Commands.Demo;
using HospitalFed.Crypto.Identity;
using HospitalFed.IntegrationTests;
using HospitalFed.Ledger.Pki;

namespace HospitalFed.Dashboard.Tests.Browser;

/// <summary>
/// The demo consortium on disk (4 hospitals, 2-of-2 admin approvals, a 3-round pairwise plan), the
/// real <c>hfed aggregator run</c> serving the dashboard from its config's <c>dashboard</c> section
/// (kept up after the plan), and the real <c>hfed site run</c> processes on loopback. Disposing
/// kills every process started.
/// </summary>
internal sealed class BrowserFederation : IAsyncDisposable
{
    private readonly string _directory;
    private readonly List<HfedProcess> _processes = [];

    private BrowserFederation(string directory, FederationDemoFiles files, string origin, HfedProcess aggregator)
    {
        _directory = directory;
        Files = files;
        Origin = origin;
        Aggregator = aggregator;
        _processes.Add(aggregator);
    }

    public FederationDemoFiles Files { get; }

    /// <summary>The dashboard's origin (login links are bound to it).</summary>
    public string Origin { get; }

    public HfedProcess Aggregator { get; }

    public IReadOnlyList<HfedProcess> Sites => [.. _processes.Skip(1)];

    /// <summary>Starts the aggregator with its dashboard and returns once the dashboard listens; no site runs yet.</summary>
    public static async Task<BrowserFederation> StartDashboardAsync(TimeSpan timeout)
    {
        var directory = Directory.CreateTempSubdirectory("hfed-dash-browser-").FullName;
        var files = new FederationDemoFiles(directory, TestEnvironment.Samples(), TestEnvironment.FreePort(), rounds: 3, "pairwise");
        var port = TestEnvironment.FreePort();
        files.EnableDashboard(port);
        var aggregator = new HfedProcess("aggregator", "run", "--config", files.PathOf("aggregator.json"));
        var federation = new BrowserFederation(directory, files, $"https://localhost:{port}", aggregator);
        try
        {
            await aggregator.WaitForLineAsync("dashboard listening on", timeout);
        }
        catch
        {
            await federation.DisposeAsync();
            throw;
        }

        return federation;
    }

    /// <summary>Starts the four sites as real processes.</summary>
    public void StartSites()
    {
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

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Files.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
