using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using Microsoft.Extensions.Time.Testing;

namespace HospitalFed.Ledger.Simulation;

/// <summary>
/// A complete consortium in memory (CA with CRL, admins, sites, aggregator, signed config) that
/// runs a plan's governance and rounds through the same API the services use, producing a
/// realistic round log. For demos, tests and benchmarks; it never touches the disk.
/// </summary>
public sealed class ConsortiumSimulation : IDisposable
{
    private readonly List<SigningIdentity> _admins = [];
    private readonly List<SigningIdentity> _sites = [];
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<RoundLog, PrivacySpends> _spends = [];

    private ConsortiumSimulation(ConsortiumAuthority authority, FakeTimeProvider time)
    {
        Authority = authority;
        Time = time;
        CrlPem = authority.Publish(null);
    }

    /// <summary>The consortium CA.</summary>
    public ConsortiumAuthority Authority { get; }

    /// <summary>The simulation clock: it advances one second each time it is read (<see cref="FakeTimeProvider.AutoAdvanceAmount"/>).</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The root certificate.</summary>
    public X509Certificate2 Root => Authority.Certificate;

    /// <summary>The current CRL (PEM).</summary>
    public string CrlPem { get; private set; }

    /// <summary>A revocation source over the current CRL.</summary>
    public CrlRevocationSource Revocation => CrlRevocationSource.FromPem(CrlPem, Root);

    /// <summary>The aggregator.</summary>
    public SigningIdentity Aggregator { get; private set; } = null!;

    /// <summary>The admins, "admin-1" ... .</summary>
    public IReadOnlyList<SigningIdentity> Admins => _admins;

    /// <summary>The sites, "site-01" ... .</summary>
    public IReadOnlyList<SigningIdentity> Sites => _sites;

    /// <summary>The CA-signed consortium config.</summary>
    public ConsortiumConfig Config { get; private set; } = null!;

    /// <summary>Creates a consortium of <paramref name="sites"/> sites and <paramref name="admins"/> admins, <paramref name="threshold"/> of whom must approve.</summary>
    /// <param name="sites">How many sites to enroll.</param>
    /// <param name="admins">How many admins to enroll.</param>
    /// <param name="threshold">How many admins must approve a plan.</param>
    /// <param name="start">Where <see cref="Time"/> starts (default now).</param>
    /// <param name="authorityClock">
    /// The clock the CA stamps certificates and revocations with; default <see cref="Time"/>. A
    /// consortium whose files real processes read (<see cref="ConsortiumDirectory"/>) passes the
    /// system clock, or a revocation would be dated in the simulated future and not yet in force.
    /// </param>
    public static ConsortiumSimulation Create(int sites = 4, int admins = 3, int threshold = 2, DateTimeOffset? start = null, TimeProvider? authorityClock = null)
    {
        var time = new FakeTimeProvider(start ?? DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        var simulation = new ConsortiumSimulation(ConsortiumAuthority.Create("Simulated Consortium Root", TimeSpan.FromDays(3650), authorityClock ?? time), time);
        simulation.Aggregator = simulation.Issue("aggregator", ConsortiumRole.Aggregator);
        for (var i = 1; i <= admins; i++)
        {
            simulation._admins.Add(simulation.Issue($"admin-{i}", ConsortiumRole.Admin));
        }

        for (var i = 1; i <= sites; i++)
        {
            simulation._sites.Add(simulation.Issue($"site-{i:D2}", ConsortiumRole.Site));
        }

        using var ca = simulation.Authority.SigningIdentity();
        simulation.Config = ConsortiumConfig.Create("Simulated Consortium", simulation._admins.Select(a => a.Name), threshold, "aggregator", ca);
        return simulation;
    }

    /// <summary>Enrolls a party the way <c>hfed site init</c> and <c>hfed pki sign</c> do: key and CSR at the party, certificate from the CA.</summary>
    public SigningIdentity Issue(string name, ConsortiumRole role, TimeSpan? validity = null)
    {
        var (keyPem, csrPem) = SiteEnrollment.CreateRequest(name);
        using var certificate = Authority.Issue(csrPem, role, validity ?? TimeSpan.FromDays(365));
        return new SigningIdentity(X509CertificateLoader.LoadCertificate(certificate.RawData), KeyProtection.ImportPem(keyPem, name));
    }

    /// <summary>Revokes <paramref name="party"/>'s certificate from now on.</summary>
    public void Revoke(SigningIdentity party)
    {
        ArgumentNullException.ThrowIfNull(party);
        CrlPem = Authority.Revoke(CrlPem, party.Certificate, X509RevocationReason.KeyCompromise);
    }

    /// <summary>The feature columns of samples/heart-disease/heart-disease.schema.json, in order: what <see cref="Plan"/> lists.</summary>
    public static IReadOnlyList<string> HeartDiseaseFeatures { get; } = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak"];

    /// <summary>
    /// A plan with the given shape over the heart-disease schema: logistic regression, FedAvg, and
    /// the local training of `hfed simulate heart-disease` (SGD, learning rate 0.05, batch 16,
    /// 10 local steps, L2 0.001, derived seeds); pairwise masking unless stated; with
    /// <paramref name="privacy"/> as the plan's <c>privacy</c> section when given (none by default).
    /// </summary>
    public static TrainingPlan Plan(long rounds = 3, int minSites = 3, bool perRoundApproval = false, string protection = "pairwise", JsonObject? privacy = null, double learningRate = 0.05)
    {
        var plan = new JsonObject
        {
            ["features"] = new JsonArray([.. HeartDiseaseFeatures.Select(f => JsonValue.Create(f))]),
            ["hyperparameters"] = new JsonObject { ["batchSize"] = 16, ["l2"] = 0.001, ["learningRate"] = learningRate, ["localSteps"] = 10, ["optimizer"] = "sgd", ["seeds"] = "derived" },
            ["minSites"] = minSites,
            ["model"] = new JsonObject { ["kind"] = "logistic" },
            ["perRoundApproval"] = perRoundApproval,
            ["protection"] = protection,
            ["rounds"] = rounds,
            ["strategy"] = new JsonObject { ["kind"] = "fedavg", ["serverLearningRate"] = 1.0 },
        };
        if (privacy is not null)
        {
            plan["privacy"] = privacy;
        }

        return TrainingPlan.FromNode(plan);
    }

    /// <summary>The coordinate count of <see cref="Plan"/>'s model update: logistic regression over <see cref="HeartDiseaseFeatures"/> (weights and bias).</summary>
    public static int HeartDiseaseDimension => HeartDiseaseFeatures.Count + 1;

    /// <summary>Writes the governance prefix: config, plan, <paramref name="approvals"/> admin approvals and every site's acceptance.</summary>
    public RoundLog StartLog(ILogStore store, TrainingPlan plan, int approvals = -1)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var log = new RoundLog(store, Root, Revocation, Time);
        log.AppendSigned(Aggregator, LogEntries.Consortium(Config), plan.Id);
        log.AppendSigned(Aggregator, LogEntries.PlanProposed(plan));
        foreach (var admin in _admins.Take(approvals < 0 ? Config.ApprovalThreshold : approvals))
        {
            log.Append(LogEntry.Sign(admin, plan.Id, LogEntries.Approval(), Time.GetUtcNow()));
        }

        foreach (var site in _sites)
        {
            log.Append(LogEntry.Sign(site, plan.Id, LogEntries.SiteDecision(true, []), Time.GetUtcNow()));
        }

        return log;
    }

    /// <summary>
    /// Runs <paramref name="round"/> through the log: per-round approvals when the plan asks,
    /// open, uploads, participants, aggregate, model, metrics, then a signed tree head
    /// that every participating site countersigns after checking consistency with its last head.
    /// Under a plan with privacy, every round after the first (statistics) one logs its spend
    /// before the aggregate (<see cref="PrivacySpends"/>), and no round logs pooled metrics.
    /// </summary>
    /// <returns>The digest of the round's model.</returns>
    public string RunRound(RoundLog log, TrainingPlan plan, long round, string startModel, IReadOnlyList<TreeHeadWitness> witnesses, int dropouts = 0)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(witnesses);
        if (plan.PerRoundApproval)
        {
            foreach (var admin in _admins.Take(Config.ApprovalThreshold))
            {
                log.Append(LogEntry.Sign(admin, plan.Id, LogEntries.Approval(round), Time.GetUtcNow()));
            }
        }

        var invited = _sites.Select(s => s.Name).ToArray();
        log.AppendSigned(Aggregator, LogEntries.RoundOpened(round, startModel, invited, Time.GetUtcNow().AddMinutes(10)));
        var participants = new List<string>();
        for (var i = 0; i < _sites.Count; i++)
        {
            var site = _sites[i];
            if (i >= _sites.Count - dropouts)
            {
                log.AppendSigned(Aggregator, LogEntries.Dropout(round, site.Name, "masked-input"));
                continue;
            }

            var upload = Digest($"upload/{plan.Id}/{round}/{site.Name}");
            log.Append(LogEntry.Sign(site, plan.Id, LogEntries.Upload(round, upload, 4096 + i), Time.GetUtcNow()));
            participants.Add(site.Name);
        }

        log.AppendSigned(Aggregator, LogEntries.Participants(round, participants));
        if (plan.Privacy is not null)
        {
            // The log's first round pools statistics and spends nothing; its spends start after it.
            if (_spends.TryGetValue(log, out var spends))
            {
                log.AppendSigned(Aggregator, spends.Next(round, invited.Length, participants.Count));
            }
            else
            {
                _spends.Add(log, new PrivacySpends(plan, HeartDiseaseDimension));
            }
        }

        log.AppendSigned(Aggregator, LogEntries.Aggregate(round, Digest($"aggregate/{plan.Id}/{round}"), participants));
        var model = Digest($"model/{plan.Id}/{round}");
        log.AppendSigned(Aggregator, LogEntries.Model(round, startModel, model));
        if (plan.Privacy is null)
        {
            var metrics = new Dictionary<string, double> { ["accuracy"] = 0.6 + (0.3 * round / plan.Rounds), ["loss"] = 0.7 / (1 + round) };
            log.AppendSigned(Aggregator, LogEntries.Metrics(round, 300 * participants.Count, metrics));
        }
        var head = log.SignTreeHead(Aggregator);
        var headSize = TreeHead.From(head).Size;
        for (var i = 0; i < witnesses.Count && i < _sites.Count; i++)
        {
            var witness = witnesses[i];
            var proof = log.ConsistencyProof(witness.Last?.Size ?? 0, headSize);
            log.Append(witness.Countersign(_sites[i], head, witness.Last is null ? [] : proof, Time.GetUtcNow()));
        }

        return model;
    }

    /// <summary>Builds a complete log of <paramref name="plan"/> with every round run.</summary>
    public RoundLog BuildLog(ILogStore store, TrainingPlan plan, int countersigningSites = 2)
    {
        var log = StartLog(store, plan);
        var witnesses = Enumerable.Range(0, countersigningSites).Select(_ => new TreeHeadWitness(Root, Revocation)).ToArray();
        var model = InitialModel;
        for (var round = 1; round <= plan.Rounds; round++)
        {
            model = RunRound(log, plan, round, model, witnesses);
        }

        return log;
    }

    /// <summary>The digest of the simulated initial global model.</summary>
    public static string InitialModel { get; } = Digest("model/initial");

    /// <inheritdoc />
    public void Dispose()
    {
        Aggregator?.Dispose();
        foreach (var party in _admins.Concat(_sites))
        {
            party.Dispose();
        }

        Authority.Dispose();
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
