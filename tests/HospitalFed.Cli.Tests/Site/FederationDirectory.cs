using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>A whole consortium on disk for `hfed aggregator run` and `hfed site run`: CA files, a plan, approvals, an aggregator and four sites.</summary>
internal sealed class FederationDirectory : IDisposable
{
    private static readonly string[] Centres = ["cleveland", "hungarian", "switzerland", "va"];

    public FederationDirectory(int approvals = 2, long rounds = 3)
    {
        Path = Directory.CreateTempSubdirectory("hfed-federation-").FullName;
        Consortium = ConsortiumSimulation.Create(sites: 0, admins: 2, threshold: 2);
        Port = FreePort();
        Write("root.cert.pem", Consortium.Root.ExportCertificatePem());
        Write("consortium.crl.pem", Consortium.CrlPem);
        Write("consortium.json", Consortium.Config.ToSignedJson().ToJsonString());
        var plan = ConsortiumSimulation.Plan(rounds: rounds, minSites: 3, epsilon: null);
        File.WriteAllBytes(PathOf("plan.json"), plan.CanonicalBytes);
        var approvalFiles = new List<string>();
        foreach (var admin in Consortium.Admins.Take(approvals))
        {
            var entry = LogEntry.Sign(admin, plan.Id, LogEntries.Approval(), DateTimeOffset.UtcNow);
            File.WriteAllBytes(PathOf($"{admin.Name}.approval"), [.. LogLine.Encode(entry, null), (byte)'\n']);
            approvalFiles.Add($"{admin.Name}.approval");
        }

        Issue("aggregator", ConsortiumRole.Aggregator);
        var samples = SampleData.HeartDiseaseDirectory;
        File.Copy(System.IO.Path.Combine(samples, "heart-disease.schema.json"), PathOf("schema.json"));
        var sites = new List<string>();
        for (var k = 0; k < Centres.Length; k++)
        {
            var name = $"site-{k + 1:D2}";
            sites.Add(name);
            Issue(name, ConsortiumRole.Site);
            File.Copy(System.IO.Path.Combine(samples, $"processed.{Centres[k]}.data"), PathOf($"{name}.csv"));
            Write($"{name}.json", JsonSerializer.Serialize(new
            {
                aggregator = $"https://localhost:{Port}",
                certificate = $"{name}.cert.pem",
                key = $"{name}.key.pem",
                root = "root.cert.pem",
                crl = "consortium.crl.pem",
                consortium = "consortium.json",
                schema = "schema.json",
                train = $"{name}.csv",
                test = $"{name}.csv",
            }));
        }

        Sites = sites;
        Write("aggregator.json", JsonSerializer.Serialize(new
        {
            port = Port,
            certificate = "aggregator.cert.pem",
            key = "aggregator.key.pem",
            root = "root.cert.pem",
            crl = "consortium.crl.pem",
            consortium = "consortium.json",
            plan = "plan.json",
            approvals = approvalFiles,
            schema = "schema.json",
            log = "round-log.db",
            sites,
            joinTimeoutSeconds = 30,
            phaseTimeoutSeconds = 30,
        }));
    }

    public string Path { get; }

    public int Port { get; }

    public ConsortiumSimulation Consortium { get; }

    public IReadOnlyList<string> Sites { get; }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Consortium.Dispose();
        Directory.Delete(Path, recursive: true);
    }

    private void Write(string name, string text) => File.WriteAllText(PathOf(name), text);

    private void Issue(string name, ConsortiumRole role)
    {
        var (keyPem, csrPem) = SiteEnrollment.CreateRequest(name);
        using var certificate = Consortium.Authority.Issue(csrPem, role, TimeSpan.FromDays(30), ["localhost"]);
        Write($"{name}.cert.pem", certificate.ExportCertificatePem());
        Write($"{name}.key.pem", keyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PathOf($"{name}.key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
