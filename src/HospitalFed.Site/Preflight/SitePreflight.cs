using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HospitalFed.Crypto.Identity;
using HospitalFed.Learning.Data;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Site.Configuration;
using Grpc.Health.V1;
using HospitalFed.Transport;
using CallOptions = Grpc.Core.CallOptions;
using RpcException = Grpc.Core.RpcException;

namespace HospitalFed.Site.Preflight;

/// <summary>
/// <c>hfed site check</c>: every precondition of taking part, each with its own verdict, so
/// hospital IT sees all problems at once instead of the first one. Never prints key material or
/// patient-level values (extract problems are reported by file, line and column).
/// </summary>
public static partial class SitePreflight
{
    /// <summary>A certificate expiring sooner than this is a warning.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    /// <summary>At most this many bad rows are listed per extract file; the rest are counted.</summary>
    public const int BadRowsListed = 20;

    /// <summary>Runs every check.</summary>
    /// <param name="config">The site configuration.</param>
    /// <param name="time">The clock.</param>
    /// <param name="connectTimeout">How long the connectivity check may take.</param>
    /// <param name="cancellationToken">Cancels the connectivity check.</param>
    public static async Task<IReadOnlyList<PreflightItem>> RunAsync(SiteConfig config, TimeProvider time, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var items = new List<PreflightItem>();
        X509Certificate2? root = null;
        IRevocationSource? revocation = null;
        X509Certificate2? certificate = null;

        items.Add(Check("CA", () =>
        {
            root = X509Certificate2.CreateFromPem(File.ReadAllText(config.Root));
            if (config.Crl is null)
            {
                revocation = NoRevocation.Instance;
                return (Verdict.Warn, $"root '{root.GetNameInfo(X509NameType.SimpleName, false)}' loaded; no CRL configured, so revoked certificates are not detected");
            }

            var crl = CrlRevocationSource.FromPem(File.ReadAllText(config.Crl), root);
            revocation = crl;
            return crl.Crl.NextUpdate is { } next && next < now
                ? (Verdict.Warn, $"the CRL's next update was due {next:u}; fetch the current CRL from the consortium")
                : (Verdict.Pass, $"root '{root.GetNameInfo(X509NameType.SimpleName, false)}' and its CRL loaded");
        }));

        items.Add(Check("certificate", () =>
        {
            certificate = X509Certificate2.CreateFromPem(File.ReadAllText(config.Certificate));
            if (root is null || revocation is null)
            {
                return (Verdict.Fail, "cannot be validated without the consortium root (see CA)");
            }

            var identity = new ConsortiumTrust(root, revocation).Validate(certificate, ConsortiumRole.Site, now);
            var left = certificate.NotAfter.ToUniversalTime() - now.UtcDateTime;
            return left < ExpiryWarning
                ? (Verdict.Warn, $"'{identity.Name}' is valid but expires in {left.TotalDays:F0} days; request a new one")
                : (Verdict.Pass, $"'{identity.Name}' (site role) chains to the consortium root; expires {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}");
        }));

        items.Add(Check("key", () =>
        {
            using var key = KeyProtection.ImportPem(File.ReadAllText(config.Key), config.Key);
            if (certificate is not null && !certificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                return (Verdict.Fail, $"{config.Key} is not the key of {config.Certificate}");
            }

            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(config.Key);
                const UnixFileMode groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
                if ((mode & groupOrOther) != 0)
                {
                    return (Verdict.Fail, $"{config.Key} is readable by others (mode {Convert.ToString((int)mode, 8)}); run: chmod 600 {config.Key}");
                }
            }

            return (Verdict.Pass, "matches the certificate; readable only by its owner");
        }));

        items.Add(Check("clock", () =>
            certificate is null
                ? (Verdict.Fail, "cannot be checked without the certificate")
                : now < certificate.NotBefore.ToUniversalTime()
                    ? (Verdict.Fail, $"the local clock ({now:u}) is before the certificate's start ({certificate.NotBefore.ToUniversalTime():u}); synchronise the clock (NTP)")
                    : (Verdict.Pass, $"{now:u}, within the certificate's validity")));

        items.Add(Check("state", () => State.SiteStateDirectory.Prepare(config) is { Created: true } state
            ? (Verdict.Pass, $"{state.Directory} created, owner only (0700)")
            : (Verdict.Pass, OperatingSystem.IsWindows() ? $"{config.StateDirectory} exists" : $"{config.StateDirectory} exists, owner only")));

        items.Add(Check("consortium", () =>
        {
            if (root is null)
            {
                return (Verdict.Fail, "cannot be verified without the consortium root");
            }

            var consortium = ConsortiumConfig.FromSignedJson(JsonNode.Parse(File.ReadAllText(config.Consortium)), root);
            return (Verdict.Pass, $"'{consortium.Name}': {consortium.ApprovalThreshold} of {consortium.Admins.Count} admins approve plans; aggregator '{consortium.Aggregator}'");
        }));

        items.Add(Check("policy", () =>
        {
            if (config.Policy is null)
            {
                return (Verdict.Warn, "no site policy: any plan the admins approved is accepted");
            }

            SitePolicy.Parse(File.ReadAllBytes(config.Policy));
            return (Verdict.Pass, $"{config.Policy} parsed");
        }));

        items.Add(ExtractCheck(config, cancellationToken));
        items.Add(Check("plan", () => PlanCheck(config)));
        items.Add(await ConnectivityAsync(config, root, time, connectTimeout, cancellationToken).ConfigureAwait(false));
        return items;
    }

    /// <summary>The plan the site expects, if configured, against its id, schema, model and policy (the same checks as at plan offer).</summary>
    private static (Verdict Verdict, string Detail) PlanCheck(SiteConfig config)
    {
        if (config.Plan is null)
        {
            return (Verdict.Warn, "no plan file configured: the plan's features and model are checked when the aggregator offers it");
        }

        var plan = TrainingPlan.Parse(File.ReadAllBytes(config.Plan));
        if (config.PlanId.Length > 0 && plan.Id != config.PlanId)
        {
            return (Verdict.Fail, $"{config.Plan} hashes to plan {plan.Id}, not the configured planId {config.PlanId}");
        }

        var schema = ExtractSchema.Load(config.Schema);
        var reasons = new List<string>();
        if (plan.FeatureMismatch(schema) is { } mismatch)
        {
            reasons.Add(mismatch);
        }
        else
        {
            _ = plan.Training.Model.Create(new HospitalFed.Learning.Features.FeaturePipeline(schema).FeatureCount);
        }

        if (config.Policy is not null)
        {
            reasons.AddRange(SitePolicy.Parse(File.ReadAllBytes(config.Policy)).Evaluate(plan));
        }

        return reasons.Count > 0
            ? (Verdict.Fail, $"this site would decline plan {plan.Id[..16]}: {string.Join("; ", reasons)}")
            : (Verdict.Pass, $"plan {plan.Id[..16]}: its {plan.Features.Count} features match the schema; the policy accepts it");
    }

    private static async Task<PreflightItem> ConnectivityAsync(SiteConfig config, X509Certificate2? root, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (root is null)
        {
            return new PreflightItem("connectivity", Verdict.Fail, "cannot connect without the consortium root");
        }

        try
        {
            using var certificate = CertificateBundle.LoadCertificateWithKey(config.Certificate, config.Key);
            using var channel = NodeChannel.Create(config.Aggregator, new RpcChannelOptions { TrustedServerAuthorities = [root], ClientCertificate = certificate, ConnectTimeout = timeout, TimeProvider = time });
            var deadline = time.GetUtcNow().UtcDateTime + timeout;
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), new CallOptions(deadline: deadline, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new PreflightItem("connectivity", Verdict.Pass, $"{config.Aggregator} answered over mutual TLS: {reply.Status}");
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException or CryptographicException or ArgumentException)
        {
            return new PreflightItem("connectivity", Verdict.Fail, $"{config.Aggregator}: {NodeCallFailure.Describe(ex)}");
        }
    }

    private static PreflightItem Check(string name, Func<(Verdict Verdict, string Detail)> check, string? context = null)
    {
        try
        {
            var (verdict, detail) = check();
            return new PreflightItem(name, verdict, detail);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or IdentityException or PkiException or PlanException
            or SchemaException or ExtractFormatException or FormatException or System.Text.Json.JsonException or InvalidDataException)
        {
            // A preflight report may be pasted into a ticket: an extract error keeps the file, line,
            // column and reason, never the patient-level value.
            var message = ex is ExtractFormatException extract ? extract.Error.ToRedactedString() : ex.Message;
            return new PreflightItem(name, Verdict.Fail, context is null ? message : $"{context}: {message}");
        }
    }

    /// <summary>Used when no CRL is configured (reported as a warning).</summary>
    private sealed class NoRevocation : IRevocationSource
    {
        public static NoRevocation Instance { get; } = new();

        public bool IsRevoked(X509Certificate2 certificate, DateTimeOffset at) => false;
    }
}
