using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using HospitalFed.Crypto.Identity;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;

namespace HospitalFed.Cli.Commands.Demo;

/// <summary>
/// The throwaway consortium of <c>hfed demo</c> on disk: the <see cref="ConsortiumDirectory"/> (CA,
/// CRL, signed consortium config with 2 admins and m = 2, the approved plan, keys 0600 and
/// certificates) plus what is the demo's own: the four Fed-Heart-Disease hospitals with their
/// FLamby train/test splits and the aggregator and site config files, exactly as
/// <c>hfed aggregator run</c> and <c>hfed site run</c> read them in production.
/// </summary>
internal sealed class FederationDemoFiles : IDisposable
{
    /// <summary>The local learning rate of the demo's plan without differential privacy.</summary>
    public const double DefaultLearningRate = 0.05;

    /// <summary>
    /// The clip norm and local learning rate of the demo's plan under differential privacy: the
    /// settings docs/learning.md section 11 selected (a few larger steps, so the clipped deltas of
    /// five rounds carry signal above the noise; at the default 0.05 the model stays at chance).
    /// </summary>
    public const double DpClipNorm = 0.5;

    /// <inheritdoc cref="DpClipNorm"/>
    public const double DpLearningRate = 0.5;

    private readonly ConsortiumDirectory _consortium;

    /// <param name="directory">Where to write the consortium.</param>
    /// <param name="samples">The Fed-Heart-Disease directory.</param>
    /// <param name="port">The aggregator's port.</param>
    /// <param name="rounds">Plan rounds.</param>
    /// <param name="protection">The plan's protection ("pairwise" or "ckks").</param>
    /// <param name="aggregatorHost">The name sites dial and the aggregator's certificate carries; any other
    /// name than localhost makes the aggregator listen on every interface (a container network).</param>
    /// <param name="sites">How many of the four hospitals to enroll (3 or 4; the plan needs 3).</param>
    /// <param name="stateRoot">Where each site keeps its plan state (a directory per site under it); null = beside its config.</param>
    /// <param name="dpEpsilon">A differential-privacy budget: the plan gets <c>"privacy": { "epsilon": dpEpsilon, "delta": 1e-5, "clipNorm": 0.5 }</c> (noise calibrated to it) and local learning rate <see cref="DpLearningRate"/>; null for none.</param>
    public FederationDemoFiles(string directory, string samples, int port, long rounds, string protection, string aggregatorHost = "localhost", int sites = 4, string? stateRoot = null, double? dpEpsilon = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sites, 3);
        _consortium = ConsortiumDirectory.Create(directory, aggregatorHost);
        var privacy = dpEpsilon is { } epsilon ? new System.Text.Json.Nodes.JsonObject { ["clipNorm"] = DpClipNorm, ["delta"] = 1e-5, ["epsilon"] = epsilon } : null;
        Plan = ConsortiumSimulation.Plan(rounds: rounds, minSites: 3, protection: protection, privacy: privacy, learningRate: privacy is null ? DefaultLearningRate : DpLearningRate);
        var approvals = _consortium.Approve(Plan);
        var aggregator = _consortium.Issue("aggregator", ConsortiumRole.Aggregator);
        File.Copy(Path.Combine(samples, FedHeartDisease.SchemaFile), PathOf(FedHeartDisease.SchemaFile));
        Centres = FedHeartDisease.Load(samples).Take(sites).ToList();
        foreach (var centre in Centres)
        {
            var identity = _consortium.Issue(centre.Name, ConsortiumRole.Site);
            var lines = File.ReadAllLines(Path.Combine(samples, $"processed.{centre.Name}.data"));
            File.WriteAllLines(PathOf($"{centre.Name}.train.csv"), centre.Train.SourceLines.Select(l => lines[l - 1]));
            File.WriteAllLines(PathOf($"{centre.Name}.test.csv"), centre.Test.SourceLines.Select(l => lines[l - 1]));
            _consortium.WriteText($"{centre.Name}.json", JsonSerializer.Serialize(new
            {
                aggregator = $"https://{aggregatorHost}:{port}",
                certificate = identity.Certificate,
                key = identity.Key,
                root = ConsortiumDirectory.RootFile,
                crl = ConsortiumDirectory.CrlFile,
                consortium = ConsortiumDirectory.ConsortiumFile,
                schema = FedHeartDisease.SchemaFile,
                train = $"{centre.Name}.train.csv",
                test = $"{centre.Name}.test.csv",
                keyStore = $"{centre.Name}.keystore.json",
                planId = Plan.Id,
                stateDirectory = stateRoot is null ? null : Path.Combine(stateRoot, centre.Name),
            }));
        }

        _consortium.WriteText("aggregator.json", JsonSerializer.Serialize(new
        {
            listenAddress = aggregatorHost == "localhost" ? "127.0.0.1" : "0.0.0.0",
            port,
            certificate = aggregator.Certificate,
            key = aggregator.Key,
            root = ConsortiumDirectory.RootFile,
            crl = ConsortiumDirectory.CrlFile,
            consortium = ConsortiumDirectory.ConsortiumFile,
            plan = ConsortiumDirectory.PlanFile,
            approvals,
            schema = FedHeartDisease.SchemaFile,
            log = "round-log.db",
            sites = Centres.Select(c => c.Name),
            joinTimeoutSeconds = 60,
            phaseTimeoutSeconds = 30,
        }));
    }

    public string Directory => _consortium.Path;

    public TrainingPlan Plan { get; }

    public IReadOnlyList<CentreData> Centres { get; }

    public X509Certificate2 Root => _consortium.Consortium.Root;

    public IRevocationSource Revocation => _consortium.Consortium.Revocation;

    /// <summary>The consortium CA (tests write it out as a <c>hfed pki</c> CA directory to revoke with the real command).</summary>
    public ConsortiumAuthority Authority => _consortium.Consortium.Authority;

    public string PathOf(string name) => _consortium.PathOf(name);

    /// <summary>The consortium's first admin (key in memory only): <c>hfed demo --dashboard</c> signs its login links with it.</summary>
    public SigningIdentity Admin => _consortium.Consortium.Admins[0];

    /// <summary>
    /// Adds a <c>dashboard</c> section to aggregator.json: the aggregator serves the dashboard on
    /// <paramref name="port"/> and keeps it up after the plan until stopped.
    /// </summary>
    public void EnableDashboard(int port)
    {
        var path = PathOf("aggregator.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config["dashboard"] = new JsonObject { ["port"] = port, ["keepServingAfterPlan"] = true };
        File.WriteAllText(path, config.ToJsonString());
    }

    public void Dispose() => _consortium.Dispose();
}
