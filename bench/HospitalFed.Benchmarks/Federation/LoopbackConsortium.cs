using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Configuration;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Site.Configuration;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>
/// A throwaway consortium on disk, in the files <c>hfed aggregator run</c> and <c>hfed site run</c>
/// read: the <see cref="ConsortiumDirectory"/> (CA, CRL, signed consortium config with 2 admins and
/// m = 2, keys 0600 and certificates for the aggregator and every site) with <see cref="Plan"/>
/// approved, a site policy requiring exactly the plan's protection, and the configs of the
/// aggregator and each site. The caller writes <see cref="SchemaFile"/> and each site's
/// <c>&lt;site&gt;.train.csv</c> and <c>&lt;site&gt;.test.csv</c> with <see cref="Write"/>.
/// </summary>
internal sealed class LoopbackConsortium : IDisposable
{
    /// <summary>The consortium schema's file name.</summary>
    public const string SchemaFile = "schema.json";

    private const string Host = "localhost";
    private readonly ConsortiumDirectory _consortium;
    private readonly IReadOnlyList<string> _approvals;

    public LoopbackConsortium(string directory, TrainingPlan plan, IReadOnlyList<string> sites, int port)
    {
        Port = port;
        Plan = plan;
        Sites = sites;
        _consortium = ConsortiumDirectory.Create(directory, Host);
        _approvals = [.. _consortium.Approve(Plan).Select(PathOf)];
        _consortium.Issue("aggregator", ConsortiumRole.Aggregator);
        // The site's own policy requires exactly the plan's protection (plaintext must be allowed explicitly).
        var protection = plan.Document["protection"]!.GetValue<string>();
        Write("policy.json", (protection == "none" ? new JsonObject { ["allowUnprotected"] = true } : new JsonObject { ["requiredProtection"] = protection }).ToJsonString());
        foreach (var site in sites)
        {
            _consortium.Issue(site, ConsortiumRole.Site);
        }
    }

    public string Directory => _consortium.Path;

    public int Port { get; }

    public TrainingPlan Plan { get; }

    public IReadOnlyList<string> Sites { get; }

    public AggregatorConfig Aggregator => new()
    {
        ListenAddress = "127.0.0.1",
        Port = Port,
        Certificate = PathOf("aggregator.cert.pem"),
        Key = PathOf("aggregator.key.pem"),
        Root = PathOf(ConsortiumDirectory.RootFile),
        Crl = PathOf(ConsortiumDirectory.CrlFile),
        Consortium = PathOf(ConsortiumDirectory.ConsortiumFile),
        Plan = PathOf(ConsortiumDirectory.PlanFile),
        Approvals = _approvals,
        Schema = PathOf(SchemaFile),
        Log = PathOf("round-log.db"),
        Sites = Sites,
        JoinTimeoutSeconds = 120,
        PhaseTimeoutSeconds = 600, // never the bottleneck: a phase closes when every site answered
        Dashboard = DashboardPort is { } dashboard ? new AggregatorDashboardConfig { Port = dashboard } : null,
    };

    /// <summary>The port of the dashboard the aggregator serves; null (the default) serves none.</summary>
    public int? DashboardPort { get; set; }

    /// <summary>The consortium's first admin (key in memory): signs the dashboard login of a benchmark's watcher.</summary>
    public SigningIdentity Admin => _consortium.Consortium.Admins[0];

    public SiteConfig Site(string name) => new()
    {
        Aggregator = new Uri($"https://{Host}:{Port}"),
        Certificate = PathOf($"{name}.cert.pem"),
        Key = PathOf($"{name}.key.pem"),
        Root = PathOf(ConsortiumDirectory.RootFile),
        Crl = PathOf(ConsortiumDirectory.CrlFile),
        Consortium = PathOf(ConsortiumDirectory.ConsortiumFile),
        Schema = PathOf(SchemaFile),
        Train = PathOf($"{name}.train.csv"),
        Test = PathOf($"{name}.test.csv"),
        Policy = PathOf("policy.json"),
        PlanId = Plan.Id,
        StateDirectory = PathOf($"{name}.state"),
    };

    public string PathOf(string name) => _consortium.PathOf(name);

    public void Write(string name, string text) => _consortium.WriteText(name, text);

    public void Dispose() => _consortium.Dispose();
}
