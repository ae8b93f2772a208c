using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using HospitalFed.Crypto.Identity;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Cli.Commands.Demo;

/// <summary>
/// The throwaway consortium of <c>hfed demo</c> on disk: CA, CRL, signed consortium config (2
/// admins, m = 2), an approved plan, the aggregator and the four Fed-Heart-Disease hospitals, each
/// with its own key (0600), certificate, FLamby train/test split and config file, exactly as
/// <c>hfed aggregator run</c> and <c>hfed site run</c> read them in production.
/// </summary>
internal sealed class FederationDemoFiles : IDisposable
{
    private readonly ConsortiumSimulation _consortium;
    private readonly string _host;

    /// <param name="directory">Where to write the consortium.</param>
    /// <param name="samples">The Fed-Heart-Disease directory.</param>
    /// <param name="port">The aggregator's port.</param>
    /// <param name="rounds">Plan rounds.</param>
    /// <param name="protection">The plan's protection ("pairwise" or "ckks").</param>
    /// <param name="aggregatorHost">The name sites dial and the aggregator's certificate carries; any other
    /// name than localhost makes the aggregator listen on every interface (a container network).</param>
    /// <param name="sites">How many of the four hospitals to enroll (3 or 4; the plan needs 3).</param>
    /// <param name="stateRoot">Where each site keeps its plan state (a directory per site under it); null = beside its config.</param>
    public FederationDemoFiles(string directory, string samples, int port, long rounds, string protection, string aggregatorHost = "localhost", int sites = 4, string? stateRoot = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sites, 3);
        _host = aggregatorHost;
        Directory = directory;
        _consortium = ConsortiumSimulation.Create(sites: 0, admins: 2, threshold: 2);
        Write("root.cert.pem", _consortium.Root.ExportCertificatePem());
        Write("consortium.crl.pem", _consortium.CrlPem);
        Write("consortium.json", _consortium.Config.ToSignedJson().ToJsonString());
        Plan = ConsortiumSimulation.Plan(rounds: rounds, minSites: 3, epsilon: null, protection: protection);
        File.WriteAllBytes(PathOf("plan.json"), Plan.CanonicalBytes);
        var approvals = new List<string>();
        foreach (var admin in _consortium.Admins)
        {
            var entry = LogEntry.Sign(admin, Plan.Id, LogEntries.Approval(), DateTimeOffset.UtcNow);
            File.WriteAllBytes(PathOf($"{admin.Name}.approval"), [.. LogLine.Encode(entry, null), (byte)'\n']);
            approvals.Add($"{admin.Name}.approval");
        }

        Issue("aggregator", ConsortiumRole.Aggregator);
        File.Copy(Path.Combine(samples, FedHeartDisease.SchemaFile), PathOf("schema.json"));
        Centres = FedHeartDisease.Load(samples).Take(sites).ToList();
        foreach (var centre in Centres)
        {
            Issue(centre.Name, ConsortiumRole.Site);
            var lines = File.ReadAllLines(Path.Combine(samples, $"processed.{centre.Name}.data"));
            File.WriteAllLines(PathOf($"{centre.Name}.train.csv"), centre.Train.SourceLines.Select(l => lines[l - 1]));
            File.WriteAllLines(PathOf($"{centre.Name}.test.csv"), centre.Test.SourceLines.Select(l => lines[l - 1]));
            Write($"{centre.Name}.json", JsonSerializer.Serialize(new
            {
                aggregator = $"https://{aggregatorHost}:{port}",
                certificate = $"{centre.Name}.cert.pem",
                key = $"{centre.Name}.key.pem",
                root = "root.cert.pem",
                crl = "consortium.crl.pem",
                consortium = "consortium.json",
                schema = "schema.json",
                train = $"{centre.Name}.train.csv",
                test = $"{centre.Name}.test.csv",
                keyStore = $"{centre.Name}.keystore.json",
                planId = Plan.Id,
                stateDirectory = stateRoot is null ? null : Path.Combine(stateRoot, centre.Name),
            }));
        }

        Write("aggregator.json", JsonSerializer.Serialize(new
        {
            listenAddress = aggregatorHost == "localhost" ? "127.0.0.1" : "0.0.0.0",
            port,
            certificate = "aggregator.cert.pem",
            key = "aggregator.key.pem",
            root = "root.cert.pem",
            crl = "consortium.crl.pem",
            consortium = "consortium.json",
            plan = "plan.json",
            approvals,
            schema = "schema.json",
            log = "round-log.db",
            sites = Centres.Select(c => c.Name),
            joinTimeoutSeconds = 60,
            phaseTimeoutSeconds = 30,
        }));
    }

    public string Directory { get; }

    public TrainingPlan Plan { get; }

    public IReadOnlyList<CentreData> Centres { get; }

    public X509Certificate2 Root => _consortium.Root;

    public IRevocationSource Revocation => _consortium.Revocation;

    public string PathOf(string name) => Path.Combine(Directory, name);

    public void Dispose() => _consortium.Dispose();

    private void Write(string name, string text) => File.WriteAllText(PathOf(name), text);

    private void Issue(string name, ConsortiumRole role)
    {
        var (keyPem, csrPem) = SiteEnrollment.CreateRequest(name);
        using var certificate = _consortium.Authority.Issue(csrPem, role, TimeSpan.FromDays(1), [_host]);
        Write($"{name}.cert.pem", certificate.ExportCertificatePem());
        CliFiles.WritePrivate(PathOf($"{name}.key.pem"), keyPem);
    }
}
