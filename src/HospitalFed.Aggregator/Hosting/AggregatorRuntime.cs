using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Aggregator.Configuration;
using HospitalFed.Aggregator.Jobs;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Aggregator.Persistence;
using HospitalFed.Crypto.Identity;
using HospitalFed.Learning.Data;
using HospitalFed.Ledger.Audit;
using HospitalFed.Ledger.Log;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Transport;
using HospitalFed.Transport.Federation;
using HospitalFed.Transport.Health;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>
/// The aggregator service assembled from its <see cref="AggregatorConfig"/>: it starts the round
/// log (config, plan, approvals) in SQLite, refuses to run without the m-of-n approvals, and
/// serves Federation and Health over HTTP/2 with mutual TLS (site role checked per connection).
/// </summary>
public sealed class AggregatorRuntime : IAsyncDisposable
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

    private AggregatorRuntime(AggregatorConfig config, SqliteLogStore store, SigningIdentity identity, X509Certificate2 tls, X509Certificate2 root, ConsortiumTrust trust, Orchestrator orchestrator, RoundLog log, TrainingPlan plan, ILoggerFactory logs)
    {
        _config = config;
        _store = store;
        _identity = identity;
        _tls = tls;
        _root = root;
        _trust = trust;
        _orchestrator = orchestrator;
        Log = log;
        Plan = plan;
        _runner = new OrchestratorRunner(orchestrator, plan.Id, TimeProvider.System, logs.CreateLogger<OrchestratorRunner>());
        _transportLogs = new TransportLogForwarder(logs);
    }

    /// <summary>The plan being run.</summary>
    public TrainingPlan Plan { get; }

    /// <summary>The round log.</summary>
    public RoundLog Log { get; }

    /// <summary>The digest of the final model written to the model store, once the plan completed.</summary>
    public string? FinalModelDigest { get; private set; }

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
    public static AggregatorRuntime Create(AggregatorConfig config, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logs);
        var root = X509Certificate2.CreateFromPem(File.ReadAllText(config.Root));
        IRevocationSource revocation = config.Crl is null ? new EmptyRevocation() : CrlRevocationSource.FromPem(File.ReadAllText(config.Crl), root);
        var trust = new ConsortiumTrust(root, revocation);
        var consortium = ConsortiumConfig.FromSignedJson(JsonNode.Parse(File.ReadAllText(config.Consortium)), root);
        var plan = TrainingPlan.Parse(File.ReadAllBytes(config.Plan));
        var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(config.Certificate));
        trust.Validate(certificate, ConsortiumRole.Aggregator, DateTimeOffset.UtcNow, consortium.Aggregator);
        var identity = new SigningIdentity(certificate, KeyProtection.ImportPem(File.ReadAllText(config.Key), config.Key));
        var store = SqliteLogStore.Open(config.Log, plan.Id);
        try
        {
            var resuming = store.Count > 0;
            var log = resuming ? OpenExisting(config, store, plan, root, revocation) : new RoundLog(store, root, revocation);
            if (!resuming)
            {
                log.AppendSigned(identity, LogEntries.Consortium(consortium), plan.Id);
                log.AppendSigned(identity, LogEntries.PlanProposed(plan));
                foreach (var path in config.Approvals)
                {
                    log.Append(LogLine.Decode(File.ReadAllBytes(path).AsSpan().TrimEnd((byte)'\n'), out _));
                }
            }

            var job = FederatedJobs.Create(plan, ExtractSchema.Load(config.Schema));
            var options = new OrchestratorOptions
            {
                Sites = config.Sites,
                JoinTimeout = TimeSpan.FromSeconds(config.JoinTimeoutSeconds),
                PhaseTimeout = TimeSpan.FromSeconds(config.PhaseTimeoutSeconds),
            };
            var archive = new AggregateStore(config.Models);
            var context = new OrchestratorContext(plan, job, log, identity, new ApprovalPolicy(consortium, root, revocation), trust, options) { Archive = archive, SetupArchive = new SetupStore(config.Models) };
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
            return new AggregatorRuntime(config, store, identity, tls, root, trust, orchestrator, log, plan, logs) { Restored = restored };
        }
        catch
        {
            store.Dispose();
            identity.Dispose();
            throw;
        }
    }

    /// <summary>What a restart rebuilt from the existing log; null for a new log.</summary>
    public OrchestratorRestore? Restored { get; private init; }

    /// <summary>Serves the sites until the plan completes or fails, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_orchestrator.Phase == OrchestratorPhase.Completed)
        {
            // Restored a plan whose rounds were all complete: nothing runs again; the final model is
            // (re)written from the replayed state, which hashes to the logged digest.
            FinalModelDigest = new ModelStore(_config.Models).Write(_orchestrator.Job.GlobalModel, [.. _orchestrator.Job.FeatureStatistics]);
            return;
        }

        var trust = _trust;
        await using var server = await RpcServer.StartAsync(
            new RpcHostOptions
            {
                ListenAddress = _config.ListenAddress,
                Port = _config.Port,
                ServerCertificate = _tls,
                TrustedClientAuthorities = [_root],
                ClientCertificatePolicy = c => SiteRefusal(trust, c),
                ConnectionMiddleware = ConnectionMiddleware,
            },
            [new HealthService(), new FederationService(_runner, _trust, Plan.Id)],
            messages =>
            {
                // Tasks carry the model; CKKS rounds also move the masks out (with every contributor's
                // c1, so it grows with the consortium) and decryption shares in.
                messages.MaxSendMessageSize = _orchestrator.LargestMessageBytes;
                messages.MaxReceiveMessageSize = FederationLimits.TaskMessageBytes(_orchestrator.Job.GlobalModel.Length);
            },
            logs: _transportLogs,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ticking = _runner.RunAsync(stop.Token);
        await _runner.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_orchestrator.Phase == OrchestratorPhase.Completed)
        {
            var job = _orchestrator.Job;
            FinalModelDigest = new ModelStore(_config.Models).Write(job.GlobalModel, [.. job.FeatureStatistics]);
        }

        // Give every site a moment to read its final task before the server closes the streams.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await ticking.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the deadline loop stops with the plan
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

    /// <summary>Verifies the stored log as an auditor would (signatures, Merkle heads, governance) before trusting it.</summary>
    private static RoundLog OpenExisting(AggregatorConfig config, SqliteLogStore store, TrainingPlan plan, X509Certificate2 root, IRevocationSource revocation)
    {
        var result = new LogVerifier(root, revocation).Verify([.. store.ReadAll()]);
        if (result.Failure is { } failure)
        {
            throw new OrchestratorException($"{config.Log} holds plan {plan.Id} but does not verify at entry {failure.Index} ({failure.What}: {failure.Why}); refusing to resume: audit it with 'hfed audit verify' and restore the store from a backup.");
        }

        try
        {
            return new RoundLog(store, root, revocation);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new OrchestratorException($"{config.Log} holds plan {plan.Id} but cannot be reopened: {ex.Message}", ex);
        }
    }

    private static HashSet<string> LoggedAggregates(RoundLog log)
    {
        var digests = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < log.Size; i++)
        {
            if (log.Entry(i) is { Kind: LogEntryKind.Aggregate } entry)
            {
                digests.Add(entry.Body["digest"]!.GetValue<string>());
            }
        }

        return digests;
    }

    /// <summary>The TLS client-certificate policy: null admits a valid consortium site certificate, otherwise the reason it is refused.</summary>
    internal static string? SiteRefusal(ConsortiumTrust trust, X509Certificate2 certificate)
    {
        try
        {
            trust.Validate(certificate, ConsortiumRole.Site, DateTimeOffset.UtcNow);
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
