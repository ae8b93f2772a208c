using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Crypto.Identity;
using HospitalFed.Learning.Data;
using HospitalFed.Ledger.Configuration;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Site.Configuration;
using HospitalFed.Site.Keys;
using HospitalFed.Site.Rounds;
using Grpc.Net.Client;
using HospitalFed.Site.Worker;
using HospitalFed.Transport;
using HospitalFed.Transport.Federation;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Site.Hosting;

/// <summary>
/// The site service assembled from its <see cref="SiteConfig"/>: identity, trust, policies,
/// extract, the round agent and the outbound worker. <c>hfed site run</c> is this plus a console.
/// </summary>
public sealed class SiteRuntime : IDisposable
{
    private readonly SigningIdentity _identity;
    private readonly X509Certificate2 _tlsCertificate;
    private readonly GrpcChannel _channel;
    private readonly SiteWorker _worker;

    private SiteRuntime(SigningIdentity identity, X509Certificate2 tlsCertificate, GrpcChannel channel, SiteAgent agent, SiteWorker worker)
    {
        _identity = identity;
        _tlsCertificate = tlsCertificate;
        _channel = channel;
        Agent = agent;
        _worker = worker;
    }

    /// <summary>The round agent (its model and state after the plan).</summary>
    public SiteAgent Agent { get; }

    /// <summary>Loads every file named by <paramref name="config"/>.</summary>
    /// <exception cref="IOException">A file is missing or unreadable.</exception>
    /// <exception cref="IdentityException">The site's certificate is not a valid consortium site certificate.</exception>
    /// <exception cref="UnauthorizedAccessException">The key store is readable by group or others.</exception>
    /// <exception cref="InvalidDataException">A file the config names is missing (the message names the key and the file), the state directory is open to others, or the site's state file is corrupted (the message names it).</exception>
    /// <exception cref="PkiException">The CRL file is unreadable or not signed by the root (the message names it).</exception>
    public static SiteRuntime Create(SiteConfig config, ILoggerFactory logs, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logs);
        time ??= TimeProvider.System;
        config.CheckFiles();
        var stateDirectory = State.SiteStateDirectory.Prepare(config).Directory;
        var root = Input(config, "root", config.Root, "PEM certificate", () => X509Certificate2.CreateFromPem(File.ReadAllText(config.Root)));
        var crl = config.Crl is null ? null : new ReloadingCrlSource(config.Crl, root);
        IRevocationSource revocation = crl ?? (IRevocationSource)new EmptyRevocation();
        var trust = new ConsortiumTrust(root, revocation);
        var certificate = Input(config, "certificate", config.Certificate, "consortium site certificate", () =>
        {
            var pem = X509Certificate2.CreateFromPem(File.ReadAllText(config.Certificate));
            trust.Validate(pem, ConsortiumRole.Site, time.GetUtcNow());
            return pem;
        });
        var identity = new SigningIdentity(certificate, Input(config, "key", config.Key, "private key", () => KeyProtection.ImportPem(File.ReadAllText(config.Key), config.Key)));
        var consortium = Input(config, "consortium", config.Consortium, "CA-signed consortium config", () => ConsortiumConfig.FromSignedJson(JsonNode.Parse(File.ReadAllText(config.Consortium)), root));
        var policy = config.Policy is null ? new SitePolicy(null, null, null, null) : Input(config, "policy", config.Policy, "site policy", () => SitePolicy.Parse(File.ReadAllBytes(config.Policy)));
        var schema = ExtractSchema.Load(config.Schema);
        var contribution = new LocalContribution(
            schema,
            SiteExtracts.Load(config.Train, schema, logs.CreateLogger<SiteRuntime>()),
            SiteExtracts.Load(config.Test, schema, logs.CreateLogger<SiteRuntime>()),
            identity.Name);
        var store = new State.SiteStateStore(stateDirectory);
        var state = store.Load();
        if (state is { PlanCompleted: true } && state.PlanId != config.PlanId)
        {
            state = null; // a finished plan does not stop the site from taking part in the next one
        }

        var keyStore = new FileKeyStore(config.KeyStore ?? Path.Combine(stateDirectory, "keystore.json")); // refuses a store group or others can read
        var agent = new SiteAgent(new SiteAgentContext(identity, trust, new ApprovalPolicy(consortium, root, revocation), policy, contribution, keyStore), time, state: state);
        var tls = CertificateBundle.LoadCertificateWithKey(config.Certificate, config.Key);
        var channel = NodeChannel.Create(config.Aggregator, new RpcChannelOptions { TrustedServerAuthorities = [root], ClientCertificate = tls, TimeProvider = time, MaxReceiveMessageSize = FederationLimits.MaxTaskMessageBytes, MaxSendMessageSize = FederationLimits.MaxTaskMessageBytes }, logs);
        var workerLog = logs.CreateLogger<SiteWorker>();
        var worker = new SiteWorker(agent, channel, config.PlanId, time, workerLog, store)
        {
            BeforeTask = crl is null ? null : new CrlFollower(crl, workerLog).Refresh,
            Faults = SiteFaultInjection.FromEnvironment(),
            Deadlines = config.Deadlines(),
        };
        return new SiteRuntime(identity, tls, channel, agent, worker);
    }

    /// <summary>Loads one file the config names; any failure is one line naming the config key and the file.</summary>
    private static T Input<T>(SiteConfig config, string key, string file, string what, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or System.Text.Json.JsonException or PlanException or PkiException or IdentityException or ArgumentException)
        {
            throw new InvalidDataException(ConfigFile.FileError(config.Source ?? "site config", key, file, $"is not a usable {what}: {ex.Message}"), ex);
        }
    }

    /// <summary>
    /// Runs until the plan ends or <paramref name="cancellationToken"/> fires. Readiness (systemd's
    /// READY=1, a Windows service's RUNNING) is the host's to report once this service has started.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) => _worker.RunAsync(cancellationToken);

    /// <summary>Erases round secrets and releases keys and connections.</summary>
    public void Dispose()
    {
        Agent.Dispose();
        _channel.Dispose();
        _tlsCertificate.Dispose();
        _identity.Dispose();
    }

    /// <summary>Takes a re-issued CRL into force; logs each newly revoked serial once, and a CRL file that does not load once per failure.</summary>
    private sealed class CrlFollower(ReloadingCrlSource crl, ILogger logger)
    {
        private string? _lastError;

        public void Refresh()
        {
            var reload = crl.Refresh();
            if (reload.Error is { } error)
            {
                if (!string.Equals(_lastError, error, StringComparison.Ordinal))
                {
                    SiteLog.CrlNotLoaded(logger, error);
                }

                _lastError = error;
                return;
            }

            if (reload.Changed)
            {
                _lastError = null;
                foreach (var entry in reload.NewlyRevoked)
                {
                    SiteLog.Revoked(logger, crl.Path, entry.SerialNumber, entry.RevokedAt);
                }
            }
        }
    }

    private sealed class EmptyRevocation : IRevocationSource
    {
        public bool IsRevoked(X509Certificate2 certificate, DateTimeOffset at) => false;
    }
}
