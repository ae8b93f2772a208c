using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Configuration;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Site.Configuration;

namespace HospitalFed.Benchmarks.Federation;

/// <summary>
/// A throwaway consortium on disk, in the files <c>hfed aggregator run</c> and <c>hfed site run</c>
/// read: CA, CRL, signed consortium config (2 admins, m = 2), an approved MLP plan with the given
/// protection, the aggregator and <c>sites</c> sites with keys (0600) and certificates, and each
/// site's synthetic extract generated here (a noisy linear teacher on shifted Gaussian features,
/// so the sites are non-IID and training has something to learn).
/// </summary>
internal sealed class FederationBenchFiles : IDisposable
{
    private const string Host = "localhost";
    private readonly ConsortiumSimulation _consortium;
    private readonly List<string> _approvals = [];

    public FederationBenchFiles(string directory, FederationBenchSettings settings, string protection, int port)
    {
        Directory = directory;
        Port = port;
        _consortium = ConsortiumSimulation.Create(sites: 0, admins: 2, threshold: 2);
        Write("root.cert.pem", _consortium.Root.ExportCertificatePem());
        Write("consortium.crl.pem", _consortium.CrlPem);
        Write("consortium.json", _consortium.Config.ToSignedJson().ToJsonString());
        var document = (JsonObject)ConsortiumSimulation.Plan(rounds: settings.Rounds, minSites: settings.MinSites, epsilon: null, protection: protection).Document.DeepClone();
        document["model"] = new JsonObject { ["kind"] = "mlp", ["hiddenLayers"] = new JsonArray([.. settings.HiddenLayers.Select(w => JsonValue.Create(w))]) };
        Plan = TrainingPlan.FromNode(document);
        File.WriteAllBytes(PathOf("plan.json"), Plan.CanonicalBytes);
        foreach (var admin in _consortium.Admins)
        {
            var entry = LogEntry.Sign(admin, Plan.Id, LogEntries.Approval(), DateTimeOffset.UtcNow);
            File.WriteAllBytes(PathOf($"{admin.Name}.approval"), [.. LogLine.Encode(entry, null), (byte)'\n']);
            _approvals.Add(PathOf($"{admin.Name}.approval"));
        }

        Issue("aggregator", ConsortiumRole.Aggregator);
        Write("schema.json", Schema(settings.Features));
        // The site's own policy requires exactly the plan's protection (plaintext must be allowed explicitly).
        Write("policy.json", (protection == "none" ? new JsonObject { ["allowUnprotected"] = true } : new JsonObject { ["requiredProtection"] = protection }).ToJsonString());
        var random = new Random(20261122); // synthetic data: identical in every mode
        var teacher = Enumerable.Range(0, settings.Features).Select(_ => Gaussian(random)).ToArray();
        Sites = [.. Enumerable.Range(1, settings.Sites).Select(i => $"site-{i:D2}")];
        foreach (var site in Sites)
        {
            Issue(site, ConsortiumRole.Site);
            var shift = Gaussian(random);
            Write($"{site}.train.csv", Extract(random, teacher, shift, settings.TrainRows));
            Write($"{site}.test.csv", Extract(random, teacher, shift, settings.TestRows));
        }
    }

    public string Directory { get; }

    public int Port { get; }

    public TrainingPlan Plan { get; }

    public IReadOnlyList<string> Sites { get; }

    public AggregatorConfig Aggregator => new()
    {
        ListenAddress = "127.0.0.1",
        Port = Port,
        Certificate = PathOf("aggregator.cert.pem"),
        Key = PathOf("aggregator.key.pem"),
        Root = PathOf("root.cert.pem"),
        Crl = PathOf("consortium.crl.pem"),
        Consortium = PathOf("consortium.json"),
        Plan = PathOf("plan.json"),
        Approvals = _approvals,
        Schema = PathOf("schema.json"),
        Log = PathOf("round-log.db"),
        Sites = Sites,
        JoinTimeoutSeconds = 120,
        PhaseTimeoutSeconds = 600, // never the bottleneck: a phase closes when every site answered
    };

    public SiteConfig Site(string name) => new()
    {
        Aggregator = new Uri($"https://{Host}:{Port}"),
        Certificate = PathOf($"{name}.cert.pem"),
        Key = PathOf($"{name}.key.pem"),
        Root = PathOf("root.cert.pem"),
        Crl = PathOf("consortium.crl.pem"),
        Consortium = PathOf("consortium.json"),
        Schema = PathOf("schema.json"),
        Train = PathOf($"{name}.train.csv"),
        Test = PathOf($"{name}.test.csv"),
        Policy = PathOf("policy.json"),
        PlanId = Plan.Id,
        StateDirectory = PathOf($"{name}.state"),
    };

    public void Dispose() => _consortium.Dispose();

    private static string Schema(int features)
    {
        var columns = new JsonArray();
        for (var j = 0; j < features; j++)
        {
            columns.Add(new JsonObject { ["name"] = $"x{j}", ["type"] = "numeric", ["minimum"] = -1000, ["maximum"] = 1000 });
        }

        columns.Add(new JsonObject { ["name"] = "y", ["type"] = "numeric", ["minimum"] = 0, ["maximum"] = 1 });
        return new JsonObject
        {
            ["delimiter"] = ",",
            ["header"] = false,
            ["standardize"] = "all",
            ["columns"] = columns,
            ["target"] = new JsonObject { ["column"] = "y", ["kind"] = "binary", ["greaterThan"] = 0 },
        }.ToJsonString();
    }

    private static string Extract(Random random, double[] teacher, double shift, int rows)
    {
        var text = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            var logit = 0.0;
            foreach (var weight in teacher)
            {
                var x = (3 * Gaussian(random)) + shift;
                logit += weight * (x - shift) / 3;
                text.Append(x.ToString("F3", CultureInfo.InvariantCulture)).Append(',');
            }

            text.Append(logit + Gaussian(random) > 0 ? '1' : '0').Append('\n');
        }

        return text.ToString();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private string PathOf(string name) => Path.Combine(Directory, name);

    private void Write(string name, string text) => File.WriteAllText(PathOf(name), text);

    private void Issue(string name, ConsortiumRole role)
    {
        var (keyPem, csrPem) = SiteEnrollment.CreateRequest(name);
        using var certificate = _consortium.Authority.Issue(csrPem, role, TimeSpan.FromDays(1), [Host]);
        Write($"{name}.cert.pem", certificate.ExportCertificatePem());
        File.WriteAllText(PathOf($"{name}.key.pem"), string.Empty);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PathOf($"{name}.key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(PathOf($"{name}.key.pem"), keyPem);
    }
}
