using System.Globalization;
using System.Text;
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
/// m = 2, keys 0600 and certificates for the aggregator and <c>sites</c> sites) with an approved MLP
/// plan of the given protection, plus what is the benchmark's own: its configs, policy and each
/// site's synthetic extract generated here (a noisy linear teacher on shifted Gaussian features,
/// so the sites are non-IID and training has something to learn).
/// </summary>
internal sealed class FederationBenchFiles : IDisposable
{
    private const string Host = "localhost";
    private readonly ConsortiumDirectory _consortium;
    private readonly IReadOnlyList<string> _approvals;

    public FederationBenchFiles(string directory, FederationBenchSettings settings, string protection, int port)
    {
        Port = port;
        _consortium = ConsortiumDirectory.Create(directory, Host);
        var document = (JsonObject)ConsortiumSimulation.Plan(rounds: settings.Rounds, minSites: settings.MinSites, protection: protection).Document.DeepClone();
        document["model"] = new JsonObject { ["kind"] = "mlp", ["hiddenLayers"] = new JsonArray([.. settings.HiddenLayers.Select(w => JsonValue.Create(w))]) };
        document["features"] = new JsonArray([.. Enumerable.Range(0, settings.Features).Select(j => JsonValue.Create($"x{j}"))]); // the synthetic schema's columns
        Plan = TrainingPlan.FromNode(document);
        _approvals = [.. _consortium.Approve(Plan).Select(PathOf)];
        _consortium.Issue("aggregator", ConsortiumRole.Aggregator);
        Write("schema.json", Schema(settings.Features));
        // The site's own policy requires exactly the plan's protection (plaintext must be allowed explicitly).
        Write("policy.json", (protection == "none" ? new JsonObject { ["allowUnprotected"] = true } : new JsonObject { ["requiredProtection"] = protection }).ToJsonString());
        var random = new Random(20261122); // synthetic data: identical in every mode
        var teacher = Enumerable.Range(0, settings.Features).Select(_ => Gaussian(random)).ToArray();
        Sites = [.. Enumerable.Range(1, settings.Sites).Select(i => $"site-{i:D2}")];
        foreach (var site in Sites)
        {
            _consortium.Issue(site, ConsortiumRole.Site);
            var shift = Gaussian(random);
            Write($"{site}.train.csv", Extract(random, teacher, shift, settings.TrainRows));
            Write($"{site}.test.csv", Extract(random, teacher, shift, settings.TestRows));
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
        Root = PathOf(ConsortiumDirectory.RootFile),
        Crl = PathOf(ConsortiumDirectory.CrlFile),
        Consortium = PathOf(ConsortiumDirectory.ConsortiumFile),
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

    private string PathOf(string name) => _consortium.PathOf(name);

    private void Write(string name, string text) => _consortium.WriteText(name, text);
}
