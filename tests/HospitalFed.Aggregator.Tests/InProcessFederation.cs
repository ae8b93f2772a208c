using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Jobs;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Crypto.Identity;
using HospitalFed.Learning.Data;
using HospitalFed.Learning.Simulation;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Simulation;
using HospitalFed.Protocol.V1;
using HospitalFed.Site.Keys;
using HospitalFed.Site.Rounds;

namespace HospitalFed.Aggregator.Tests;

/// <summary>
/// The aggregator's orchestrator and four site agents (the heart-disease hospitals) in one
/// process, with a router standing in for the network: every byte the services would carry
/// passes through <see cref="Pump"/>.
/// </summary>
internal sealed class InProcessFederation : IDisposable
{
    private readonly MemoryLogStore _store = new();
    private readonly DirectoryInfo _archiveDirectory = Directory.CreateTempSubdirectory("hfed-aggregates-");
    private readonly ApprovalPolicy _approvalPolicy;
    private readonly OrchestratorOptions _options;

    // model: the plan's model member; null keeps the simulation's logistic regression.
    // planEdit: changes the simulation's plan document (e.g. its hyperparameters) before it is parsed.
    // siteSchema: the schema every site holds; null = the consortium's (the aggregator's).
    // data: the consortium's schema and four sites' rows (the plan lists its feature columns); null = heart disease.
    // admins: the consortium's admins (2 of them must approve); approvals: how many approve at the start (-1 = 2).
    public InProcessFederation(long rounds = 16, int minSites = 3, int approvals = -1, SitePolicy? policy = null, TimeSpan? phaseTimeout = null, bool sitesDecideOnline = false, string protection = "pairwise", JsonObject? model = null, Action<JsonObject>? planEdit = null, ExtractSchema? siteSchema = null, (ExtractSchema Schema, IReadOnlyList<CentreData> Centres)? data = null, int admins = 2)
    {
        Consortium = ConsortiumSimulation.Create(sites: 4, admins: admins, threshold: 2);
        Plan = Edited(WithModel(ConsortiumSimulation.Plan(rounds: rounds, minSites: minSites, protection: protection), model), WithFeatures(data?.Schema, planEdit));
        Log = sitesDecideOnline ? GovernanceOnly(approvals) : Consortium.StartLog(_store, Plan, approvals);
        var directory = SampleData.HeartDiseaseDirectory;
        Schema = data?.Schema ?? ExtractSchema.Load(Path.Combine(directory, FedHeartDisease.SchemaFile));
        Centres = data?.Centres ?? FedHeartDisease.Load(directory);
        Trust = new ConsortiumTrust(Consortium.Root, Consortium.Revocation);
        var approvalPolicy = new ApprovalPolicy(Consortium.Config, Consortium.Root, Consortium.Revocation);
        _approvalPolicy = approvalPolicy;
        Archive = new Persistence.AggregateStore(_archiveDirectory.FullName);
        SetupArchive = new Persistence.SetupStore(_archiveDirectory.FullName);
        Job = FederatedJobs.Create(Plan, Schema);
        _options = new OrchestratorOptions { Sites = [.. Consortium.Sites.Select(s => s.Name)], PhaseTimeout = phaseTimeout ?? TimeSpan.FromHours(1) };
        Orchestrator = NewOrchestrator();
        KeyStores = Consortium.Sites.ToDictionary(s => s.Name, _ => new MemoryKeyStore(), StringComparer.Ordinal);
        AgentContexts = Consortium.Sites
            .Select((site, k) => new SiteAgentContext(site, Trust, approvalPolicy, policy ?? new SitePolicy(null, null, null, null), new LocalContribution(siteSchema ?? Schema, Centres[k].Train, Centres[k].Test, site.Name), KeyStores[site.Name]))
            .ToDictionary(c => c.Identity.Name, StringComparer.Ordinal);
        Agents = AgentContexts.Values.Select(c => new SiteAgent(c, Consortium.Time)).ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>Each site's agent context (identity, trust, policy, data), to build a restarted agent.</summary>
    public Dictionary<string, SiteAgentContext> AgentContexts { get; }

    public ConsortiumSimulation Consortium { get; }

    public TrainingPlan Plan { get; }

    public RoundLog Log { get; private set; }

    public ExtractSchema Schema { get; }

    public IReadOnlyList<CentreData> Centres { get; }

    public ConsortiumTrust Trust { get; }

    public IFederatedJob Job { get; private set; }

    public Orchestrator Orchestrator { get; private set; }

    /// <summary>The content-addressed sums of completed rounds (a temporary directory).</summary>
    public Persistence.AggregateStore Archive { get; }

    /// <summary>The archive's directory.</summary>
    public string ArchiveDirectory => _archiveDirectory.FullName;

    /// <summary>The plan set-up records (CKKS key holders and confirmations), next to the archive.</summary>
    public Persistence.SetupStore SetupArchive { get; }

    /// <summary>Every task delivered to a site, in order.</summary>
    public List<Outgoing> Delivered { get; } = [];

    /// <summary>Tasks the orchestrator produced but that were never delivered because routing stopped.</summary>
    public List<Outgoing> Lost { get; } = [];

    /// <summary>When set, routing stops (the rest of the queue is lost, as in a crash) once this returns true.</summary>
    public Func<bool>? StopWhen { get; set; }

    public Dictionary<string, SiteAgent> Agents { get; }

    /// <summary>The round log's stored lines, as an auditor reads them.</summary>
    public IReadOnlyList<byte[]> LogLines => [.. _store.ReadAll()];

    /// <summary>Each site's key store (CKKS key material survives replacing its agent).</summary>
    public Dictionary<string, MemoryKeyStore> KeyStores { get; }

    /// <summary>Sites whose tasks are dropped on the floor (as if they had crashed).</summary>
    public HashSet<string> Crashed { get; } = new(StringComparer.Ordinal);

    /// <summary>Per site, the task kind from which it crashes (it still handles earlier tasks).</summary>
    public Dictionary<string, SiteTask.TaskOneofCase> CrashAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Every entry of the round log, in order.</summary>
    public List<LogEntry> Entries() => [.. Enumerable.Range(0, (int)Log.Size).Select(i => Log.Entry(i))];

    /// <summary>The auditor's verification of the whole round log.</summary>
    public Ledger.Audit.AuditResult Verify() =>
        new Ledger.Audit.LogVerifier(Consortium.Root, Consortium.Revocation).Verify([.. Enumerable.Range(0, (int)Log.Size).Select(i => LogLine.Encode(Log.Entry(i), i))]);

    /// <summary>Connects every site and routes tasks and answers until nothing is left to deliver.</summary>
    public void ConnectAll()
    {
        var queue = new Queue<Outgoing>();
        foreach (var site in Agents.Keys)
        {
            foreach (var task in Orchestrator.Connect(site))
            {
                queue.Enqueue(task);
            }
        }

        Pump(queue);
    }

    /// <summary>Moves the clock past the current phase deadline and routes whatever closing it produced.</summary>
    public void ExpireDeadline()
    {
        Consortium.Time.Advance(Orchestrator.Deadline - Consortium.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        Pump(new Queue<Outgoing>(Orchestrator.Tick()));
    }

    /// <summary>Every round invitation routed so far, in order.</summary>
    public List<RoundInvitation> Invitations { get; } = [];

    /// <summary>Routes tasks to agents and their answers back until the queue is empty.</summary>
    public void Pump(Queue<Outgoing> queue)
    {
        while (queue.TryDequeue(out var outgoing))
        {
            if (outgoing.Task.TaskCase == SiteTask.TaskOneofCase.Invitation && !Invitations.Contains(outgoing.Task.Invitation))
            {
                Invitations.Add(outgoing.Task.Invitation);
            }

            if (StopWhen?.Invoke() == true)
            {
                Lost.Add(outgoing);
                Lost.AddRange(queue);
                queue.Clear();
                return;
            }

            Delivered.Add(outgoing);
            if (CrashAt.TryGetValue(outgoing.Recipient, out var at) && outgoing.Task.TaskCase == at)
            {
                Crashed.Add(outgoing.Recipient);
            }

            if (Crashed.Contains(outgoing.Recipient))
            {
                continue;
            }

            var reply = Agents[outgoing.Recipient].Handle(outgoing.Task);
            foreach (var chunk in reply.MaskedInput)
            {
                Enqueue(queue, Orchestrator.Receive(outgoing.Recipient, chunk));
            }

            foreach (var chunk in reply.ProtectedInput)
            {
                Enqueue(queue, Orchestrator.Receive(outgoing.Recipient, chunk));
            }

            foreach (var message in reply.Messages)
            {
                Enqueue(queue, Orchestrator.Receive(outgoing.Recipient, message));
            }
        }
    }

    /// <summary>Replaces <paramref name="site"/>'s agent by a fresh one (a restarted site process) with the same key store.</summary>
    public void RestartAgent(string site)
    {
        Agents[site].Dispose();
        Agents[site] = new SiteAgent(AgentContexts[site], Consortium.Time);
    }

    /// <summary>
    /// The aggregator process dies (its orchestrator and every in-memory state are dropped) and a new
    /// one starts on the same log store and archive: a fresh job, log and orchestrator, started and restored.
    /// </summary>
    public OrchestratorRestore Restart()
    {
        Orchestrator.Dispose();
        StopWhen = null;
        Log = new RoundLog(_store, Consortium.Root, Consortium.Revocation, Consortium.Time);
        Job = FederatedJobs.Create(Plan, Schema);
        Orchestrator = NewOrchestrator();
        Orchestrator.Start();
        return Orchestrator.Restore();
    }

    public void Dispose()
    {
        Orchestrator.Dispose();
        _archiveDirectory.Delete(recursive: true);
        foreach (var agent in Agents.Values)
        {
            agent.Dispose();
        }

        Consortium.Dispose();
        _store.Dispose();
    }

    private Orchestrator NewOrchestrator() =>
        new(new OrchestratorContext(Plan, Job, Log, Consortium.Aggregator, _approvalPolicy, Trust, _options) { Archive = Archive, SetupArchive = SetupArchive }, Consortium.Time);

    /// <summary>Config, plan and admin approvals, but no site decisions: the sites decide when offered the plan.</summary>
    private RoundLog GovernanceOnly(int approvals)
    {
        var log = new RoundLog(_store, Consortium.Root, Consortium.Revocation, Consortium.Time);
        log.AppendSigned(Consortium.Aggregator, LogEntries.Consortium(Consortium.Config), Plan.Id);
        log.AppendSigned(Consortium.Aggregator, LogEntries.PlanProposed(Plan));
        foreach (var admin in Consortium.Admins.Take(approvals < 0 ? Consortium.Config.ApprovalThreshold : approvals))
        {
            log.Append(LogEntry.Sign(admin, Plan.Id, LogEntries.Approval(), Consortium.Time.GetUtcNow()));
        }

        return log;
    }

    private static TrainingPlan Edited(TrainingPlan plan, Action<JsonObject>? edit)
    {
        if (edit is null)
        {
            return plan;
        }

        var document = (JsonObject)plan.Document.DeepClone();
        edit(document);
        return TrainingPlan.FromNode(document);
    }

    private static Action<JsonObject>? WithFeatures(ExtractSchema? schema, Action<JsonObject>? edit) => schema is null ? edit : document =>
    {
        document["features"] = new JsonArray([.. schema.FeatureColumns.Select(f => JsonValue.Create(f))]);
        edit?.Invoke(document);
    };

    private static TrainingPlan WithModel(TrainingPlan plan, JsonObject? model)
    {
        if (model is null)
        {
            return plan;
        }

        var document = (JsonObject)plan.Document.DeepClone();
        document["model"] = model.DeepClone();
        return TrainingPlan.FromNode(document);
    }

    private static void Enqueue(Queue<Outgoing> queue, IEnumerable<Outgoing> tasks)
    {
        foreach (var task in tasks)
        {
            queue.Enqueue(task);
        }
    }
}
