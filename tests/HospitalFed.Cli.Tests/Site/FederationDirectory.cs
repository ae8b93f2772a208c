using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Cli.Tests.Site;

/// <summary>A whole consortium on disk for `hfed aggregator run` and `hfed site run`: CA files, a plan, approvals, an aggregator and four sites.</summary>
internal sealed class FederationDirectory : IDisposable
{
    private static readonly string[] Centres = ["cleveland", "hungarian", "switzerland", "va"];
    private readonly ConsortiumDirectory _files;

    public FederationDirectory(int approvals = 2, long rounds = 3)
    {
        _files = ConsortiumDirectory.Create(Directory.CreateTempSubdirectory("hfed-federation-").FullName, validity: TimeSpan.FromDays(30));
        Port = FreePort();
        var approvalFiles = _files.Approve(ConsortiumSimulation.Plan(rounds: rounds, minSites: 3), approvals);
        var aggregator = _files.Issue("aggregator", ConsortiumRole.Aggregator);
        var samples = SampleData.HeartDiseaseDirectory;
        File.Copy(System.IO.Path.Combine(samples, "heart-disease.schema.json"), PathOf("schema.json"));
        var sites = new List<string>();
        for (var k = 0; k < Centres.Length; k++)
        {
            var name = $"site-{k + 1:D2}";
            sites.Add(name);
            var identity = _files.Issue(name, ConsortiumRole.Site);
            File.Copy(System.IO.Path.Combine(samples, $"processed.{Centres[k]}.data"), PathOf($"{name}.csv"));
            _files.WriteText($"{name}.json", JsonSerializer.Serialize(new
            {
                aggregator = $"https://localhost:{Port}",
                certificate = identity.Certificate,
                key = identity.Key,
                root = ConsortiumDirectory.RootFile,
                crl = ConsortiumDirectory.CrlFile,
                consortium = ConsortiumDirectory.ConsortiumFile,
                schema = "schema.json",
                train = $"{name}.csv",
                test = $"{name}.csv",
            }));
        }

        Sites = sites;
        _files.WriteText("aggregator.json", JsonSerializer.Serialize(new
        {
            port = Port,
            certificate = aggregator.Certificate,
            key = aggregator.Key,
            root = ConsortiumDirectory.RootFile,
            crl = ConsortiumDirectory.CrlFile,
            consortium = ConsortiumDirectory.ConsortiumFile,
            plan = ConsortiumDirectory.PlanFile,
            approvals = approvalFiles,
            schema = "schema.json",
            log = "round-log.db",
            sites,
            joinTimeoutSeconds = 30,
            phaseTimeoutSeconds = 30,
        }));
    }

    public string Path => _files.Path;

    public int Port { get; }

    public IReadOnlyList<string> Sites { get; }

    public string PathOf(string name) => _files.PathOf(name);

    public void Dispose()
    {
        _files.Dispose();
        Directory.Delete(Path, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
