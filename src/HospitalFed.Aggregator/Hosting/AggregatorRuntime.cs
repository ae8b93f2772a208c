using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Configuration;
using HospitalFed.Aggregator.Jobs;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Aggregator.Persistence;
using HospitalFed.Crypto.Identity;
using HospitalFed.Learning.Data;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// The aggregator service assembled from its <see cref="AggregatorConfig"/>: it starts the round
/// log (config, plan, approvals) in SQLite, refuses to run without the m-of-n approvals, and
/// serves Federation, health and reflection over HTTP/2 with mutual TLS (site role checked per
/// connection) in a Generic Host (<see cref="OrchestratorService"/> runs the plan).
/// </summary>
public sealed partial class AggregatorRuntime : IAsyncDisposable
{
    private readonly SqliteLogStore _store;
    private readonly SigningIdentity _identity;
    private readonly X509Certificate2 _tls;
    private readonly Orchestrator _orchestrator;
    private readonly OrchestratorRunner _runner;
    private readonly AggregatorConfig _config;
    private readonly ConsortiumTrust _trust;
    private readonly X509Certificate2 _root;
    private readonly TransportLogForwarder _transportLogs;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _logs;
    private FederationService? _federation;
    private string? _lastCrlError;

    private AggregatorRuntime(AggregatorConfig config, SqliteLogStore store, SigningIdentity identity, X509Certificate2 tls, X509Certificate2 root, ConsortiumTrust trust, Orchestrator orchestrator, RoundLog log, TrainingPlan plan, ILoggerFactory logs, TimeProvider time)
    {
        _time = time;
        _config = config;
        _store = store;
        _identity = identity;
        _tls = tls;
        _root = root;
        _trust = trust;
        _orchestrator = orchestrator;
        Log = log;
        Plan = plan;
        _logs = logs;
        _logger = logs.CreateLogger<AggregatorRuntime>();
        Status = new AggregatorFederationStatus(plan.Id, config.Sites, time);
        Status.PhaseChanged(orchestrator.Round, orchestrator.Phase, orchestrator.Accepted);
        _runner = new OrchestratorRunner(orchestrator, plan.Id, time, logs.CreateLogger<OrchestratorRunner>()) { BeforeTick = RefreshRevocation, Status = Status };
        _transportLogs = new TransportLogForwarder(logs);
    }

    /// <summary>The plan being run.</summary>
    public TrainingPlan Plan { get; }

    /// <summary>The round log.</summary>
    public RoundLog Log { get; }

    /// <summary>The digest of the final model written to the model store, once the plan completed.</summary>
    public string? FinalModelDigest { get; private set; }

    /// <summary>The live status published to the hosted dashboard (connections, versions, phase).</summary>
    public AggregatorFederationStatus Status { get; }

    /// <summary>
    /// Called once when the plan has ended and its final model is written, while a dashboard kept
    /// up by <see cref="AggregatorDashboardConfig.KeepServingAfterPlan"/> goes on serving (so the
    /// console can report the outcome before the process is stopped). Set before <see cref="RunAsync"/>.
    /// </summary>
    public Action? PlanEnded { get; set; }

    /// <summary>The orchestrator (history and outcome).</summary>
    public Orchestrator Orchestrator => _orchestrator;

    /// <summary>
    /// Optional Kestrel connection middleware on the sites' listener, outermost (it sees the raw
    /// TCP bytes, TLS records included), for example to meter traffic. Set before <see cref="RunAsync"/>.
    /// </summary>
    public Func<ConnectionDelegate, ConnectionDelegate>? ConnectionMiddleware { get; set; }

    /// <summary>
    /// Loads every file and checks the approvals. A new log gets its governance prefix; an existing
    /// log of the plan is verified first, then the orchestrator is rebuilt from it and the archived
    /// aggregates (<see cref="Orchestrator.Restore"/>): a round left open is aborted, a completed
    /// plan is reported and not re-run.
    /// </summary>
    /// <exception cref="FormatException">The plan's features differ from the schema's feature columns, or its model is too large for them (the message names the columns or the field).</exception>
    /// <exception cref="OrchestratorException">The plan lacks its approvals, or the existing store does not verify or is inconsistent (never repaired).</exception>
    /// <exception cref="InvalidDataException">A file the config names is missing or unusable, or a directory cannot be created; one line naming the config key and the file.</exception>
    /// <param name="config">The loaded configuration.</param>
    /// <param name="logs">The aggregator's logs.</param>
    /// <param name="time">The clock of deadlines and trust decisions; <see cref="TimeProvider.System"/> by default.</param>
    public static AggregatorRuntime Create(AggregatorConfig config, ILoggerFactory logs, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logs);
        config.CheckFiles();
        if (config.Dashboard is { } dashboard)
        {
            try
            {
                dashboard.ToOptions(config).Validate();
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"{config.Source ?? "aggregator config"}: key \"dashboard\": {ex.Message}", ex);
            }
        }

        var root = Input(config, "root", config.Root, "PEM certificate", () => X509Certificate2.CreateFromPem(File.ReadAllText(config.Root)));
        var crl = config.Crl is null ? null : new ReloadingCrlSource(config.Crl, root);
        IRevocationSource revocation = crl ?? (IRevocationSource)new EmptyRevocation();
        var trust = new ConsortiumTrust(root, revocation);
        var consortium = Input(config, "consortium", config.Consortium, "CA-signed consortium config", () => ConsortiumConfig.FromSignedJson(JsonNode.Parse(File.ReadAllText(config.Consortium)), root));
        var plan = Input(config, "plan", config.Plan, "plan", () => TrainingPlan.Parse(File.ReadAllBytes(config.Plan)));
        var certificate = Input(config, "certificate", config.Certificate, "aggregator certificate", () =>
        {
            var pem = X509Certificate2.CreateFromPem(File.ReadAllText(config.Certificate));
            trust.Validate(pem, ConsortiumRole.Aggregator, time.GetUtcNow(), consortium.Aggregator);
            return pem;
        });
        var identity = new SigningIdentity(certificate, Input(config, "key", config.Key, "private key", () => KeyProtection.ImportPem(File.ReadAllText(config.Key), config.Key)));
        SqliteLogStore? store = null;
        try
        {
            // Everything that can refuse the start is checked before the database is created or
            // written: a failed first start leaves nothing behind, so adding what was missing (an
            // approval, a file) and starting again just works.
            var job = FederatedJobs.Create(plan, ExtractSchema.Load(config.Schema));
            var options = new OrchestratorOptions
            {
                Sites = config.Sites,
                JoinTimeout = TimeSpan.FromSeconds(config.JoinTimeoutSeconds),
                PhaseTimeout = TimeSpan.FromSeconds(config.PhaseTimeoutSeconds),
            };
            var approvals = new ApprovalPolicy(consortium, root, revocation);
            var resuming = HoldsPlan(config, plan);
            var prefix = resuming ? null : StagePrefix(config, consortium, plan, identity, root, revocation, job, approvals, trust, options);
            CreateDirectories(config);
            store = SqliteLogStore.Open(config.Log, plan.Id);
            RoundLog log;
            if (prefix is null)
            {
                log = OpenExisting(config, store, plan, root, revocation);
            }
            else
            {
                for (var i = 0; i < prefix.Count; i++)
                {
                    store.Append(i, prefix[i]);
                }

                log = new RoundLog(store, root, revocation);
            }

            var archive = new AggregateStore(config.Models);
            var context = new OrchestratorContext(plan, job, log, identity, approvals, trust, options) { Archive = archive, SetupArchive = new SetupStore(config.Models) };
            var orchestrator = new Orchestrator(context);
            orchestrator.Start();
            OrchestratorRestore? restored = null;
            if (resuming)
            {
                restored = orchestrator.Restore();
                archive.Prune(LoggedAggregates(log));
                AggregatorLog.Resumed(logs.CreateLogger<AggregatorRuntime>(), plan.Id, restored.CompletedRounds, restored.AbortedRound ?? 0);
            }

            var tls = CertificateBundle.LoadCertificateWithKey(config.Certificate, config.Key);
            return new AggregatorRuntime(config, store, identity, tls, root, trust, orchestrator, log, plan, logs, time) { Restored = restored, Crl = crl };
        }
        catch
        {
            store?.Dispose();
            identity.Dispose();
            throw;
        }
    }

    /// <summary>What a restart rebuilt from the existing log; null for a new log.</summary>
    public OrchestratorRestore? Restored { get; private init; }

    /// <summary>The CRL file followed while running; null when the config names none.</summary>
    private ReloadingCrlSource? Crl { get; init; }

    /// <summary>
    /// Serves the sites until the plan completes or fails, or the host is stopped
    /// (<paramref name="cancellationToken"/>, Ctrl+C, a service stop).
    /// </summary>
    /// <exception cref="OperationCanceledException">The host stopped before the plan ended.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_orchestrator.Phase == OrchestratorPhase.Completed)
        {
            // Restored a plan whose rounds were all complete: nothing runs again; the final model is
            // (re)written from the replayed state, which hashes to the logged digest.
            FinalModelDigest = new ModelStore(_config.Models).Write(_orchestrator.Job.GlobalModel, [.. _orchestrator.Job.FeatureStatistics]);
            return;
        }

        _federation = new FederationService(_runner, _trust, Plan.Id, _time, RefreshRevocation, UploadsDirectory(_config), Status);
        await using var app = BuildHost(_federation);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        if (!_runner.Finished.IsCompleted)
        {
            // Stopped (Ctrl+C, service stop) before the plan ended: as a cancelled run.
            throw new OperationCanceledException("The aggregator was stopped before the plan ended.", cancellationToken);
        }

        WriteFinalModel();
    }

    /// <summary>Writes the final model once the plan completed (once; the host's keep-serving path calls it before the process stops).</summary>
    internal void WriteFinalModel()
    {
        if (_orchestrator.Phase == OrchestratorPhase.Completed && FinalModelDigest is null)
        {
            var job = _orchestrator.Job;
            FinalModelDigest = new ModelStore(_config.Models).Write(job.GlobalModel, [.. job.FeatureStatistics]);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _orchestrator.Dispose();
        _tls.Dispose();
        _identity.Dispose();
        _store.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Takes a re-issued CRL into force (cheap when the file did not change) and closes the task
    /// streams of connected sites it revokes, so they are not invited again; every later message
    /// and handshake of theirs is refused by the trust decision itself. A CRL file that does not
    /// load is logged once per failure and the last good CRL stays in force.
    /// </summary>
    internal void RefreshRevocation()
    {
        if (Crl is null)
        {
            return;
        }

        var reload = Crl.Refresh();
        if (reload.Error is { } error)
        {
            if (!string.Equals(Interlocked.Exchange(ref _lastCrlError, error), error, StringComparison.Ordinal))
            {
                AggregatorLog.CrlNotLoaded(_logger, error);
            }

            return;
        }

        if (!reload.Changed)
        {
            return;
        }

        Interlocked.Exchange(ref _lastCrlError, null);
        var evicted = _federation?.EvictRevoked() ?? [];
        foreach (var entry in reload.NewlyRevoked)
        {
            var party = evicted.FirstOrDefault(e => string.Equals(e.SerialNumber, entry.SerialNumber, StringComparison.OrdinalIgnoreCase)).Site ?? "a party not connected";
            AggregatorLog.Revoked(_logger, Crl.Path, party, entry.SerialNumber, entry.RevokedAt);
        }
    }

    /// <summary>In-flight uploads wait in <c>uploads/</c> next to the round log (owner-only, emptied at start).</summary>
    internal static string UploadsDirectory(AggregatorConfig config) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config.Log)) ?? ".", "uploads");

    /// <summary>The TLS client-certificate policy: null admits a valid consortium site certificate, otherwise the reason it is refused.</summary>
    internal static string? SiteRefusal(ConsortiumTrust trust, X509Certificate2 certificate, TimeProvider time)
    {
        try
        {
            trust.Validate(certificate, ConsortiumRole.Site, time.GetUtcNow());
            return null;
        }
        catch (IdentityException ex)
        {
            return ex.Message;
        }
    }

    private sealed class EmptyRevocation : IRevocationSource
    {
        public bool IsRevoked(X509Certificate2 certificate, DateTimeOffset at) => false;
    }
}
