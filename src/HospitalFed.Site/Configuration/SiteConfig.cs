using System.Text.Json;
using System.Text.Json.Serialization;
using HospitalFed.Ledger.Configuration;
using HospitalFed.Transport.Telemetry;
using HospitalFed.Site.Worker;

namespace HospitalFed.Site.Configuration;

/// <summary>
/// The site service's configuration file (JSON, camelCase; see config/site.json). Relative paths
/// are resolved against the file's directory.
/// </summary>
public sealed record SiteConfig
{
    /// <summary>The aggregator's address, e.g. <c>https://aggregator.example.org:7443</c> (outbound only).</summary>
    public required Uri Aggregator { get; init; }

    /// <summary>The site's certificate (PEM), issued by the consortium CA with the site role.</summary>
    public required string Certificate { get; init; }

    /// <summary>The site's private key (PEM, unencrypted, mode 0600, readable only by the service account).</summary>
    public required string Key { get; init; }

    /// <summary>The consortium root certificate (PEM).</summary>
    public required string Root { get; init; }

    /// <summary>The consortium CRL (PEM); strongly recommended.</summary>
    public string? Crl { get; init; }

    /// <summary>The CA-signed consortium config (admins and the m-of-n approval rule).</summary>
    public required string Consortium { get; init; }

    /// <summary>The extract schema shared by the consortium.</summary>
    public required string Schema { get; init; }

    /// <summary>The local training extract.</summary>
    public required string Train { get; init; }

    /// <summary>The local test extract (evaluation only).</summary>
    public required string Test { get; init; }

    /// <summary>The site's own policy (allowed models, minimum sites, protection, rounds); none = accept any approved plan.</summary>
    public string? Policy { get; init; }

    /// <summary>
    /// The directory where the site keeps its plan state across restarts (mode 0700, files 0600);
    /// default <c>&lt;config file name&gt;.state</c> beside the config file.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// The key store file holding CKKS key shares across restarts (created 0600; the site refuses to
    /// start if group or others can read it); default <c>keystore.json</c> in the state directory.
    /// </summary>
    public string? KeyStore { get; init; }

    /// <summary>The plan id the site expects; empty accepts the aggregator's plan (still vetted by policy and approvals).</summary>
    public string PlanId { get; init; } = string.Empty;

    /// <summary>
    /// The plan document the site expects to run, optional: when given, <c>hfed site check</c>
    /// checks it against the schema, the model and the site policy before the aggregator offers it
    /// (the site checks the offered plan in any case).
    /// </summary>
    public string? Plan { get; init; }

    /// <summary>Seconds the aggregator has to accept the task stream; default 30 (<see cref="SiteCallDeadlines.Subscribe"/>).</summary>
    public double? SubscribeTimeoutSeconds { get; init; }

    /// <summary>Deadline of each message or upload the site sends, in seconds; default 300 (<see cref="SiteCallDeadlines.Call"/>).</summary>
    public double? CallTimeoutSeconds { get; init; }

    /// <summary>Seconds an open task stream may stay silent before the site reconnects; default 600 (<see cref="SiteCallDeadlines.TaskIdle"/>).</summary>
    public double? TaskIdleTimeoutSeconds { get; init; }

    /// <summary>OpenTelemetry export of the site's metrics (upload bytes); null (the default) exports nothing.</summary>
    public TelemetryConfig? Telemetry { get; init; }

    /// <summary>The deadlines of the site's calls to the aggregator: the keys set here, the defaults of <see cref="SiteCallDeadlines"/> otherwise.</summary>
    public SiteCallDeadlines Deadlines()
    {
        var defaults = new SiteCallDeadlines();
        return new SiteCallDeadlines
        {
            Subscribe = SubscribeTimeoutSeconds is { } subscribe ? TimeSpan.FromSeconds(subscribe) : defaults.Subscribe,
            Call = CallTimeoutSeconds is { } call ? TimeSpan.FromSeconds(call) : defaults.Call,
            TaskIdle = TaskIdleTimeoutSeconds is { } idle ? TimeSpan.FromSeconds(idle) : defaults.TaskIdle,
        };
    }

    /// <summary>The config file this was loaded from, as given (error messages name it); null if built in code.</summary>
    [JsonIgnore]
    public string? Source { get; init; }

    /// <summary>Every key a site config may hold; any other key is refused.</summary>
    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        new("aggregator", ConfigValueKind.Url, Required: true),
        new("certificate", ConfigValueKind.Path, Required: true),
        new("key", ConfigValueKind.Path, Required: true),
        new("root", ConfigValueKind.Path, Required: true),
        new("crl", ConfigValueKind.Path),
        new("consortium", ConfigValueKind.Path, Required: true),
        new("schema", ConfigValueKind.Path, Required: true),
        new("train", ConfigValueKind.Path, Required: true),
        new("test", ConfigValueKind.Path, Required: true),
        new("policy", ConfigValueKind.Path),
        new("stateDirectory", ConfigValueKind.Path),
        new("keyStore", ConfigValueKind.Path),
        new("planId", ConfigValueKind.Text),
        new("plan", ConfigValueKind.Path),
        new("subscribeTimeoutSeconds", ConfigValueKind.PositiveNumber),
        new("callTimeoutSeconds", ConfigValueKind.PositiveNumber),
        new("taskIdleTimeoutSeconds", ConfigValueKind.PositiveNumber),
        new("telemetry", ConfigValueKind.Section, Keys: TelemetryConfig.Keys),
    ];

    /// <summary>Loads and validates <paramref name="path"/>, resolving relative paths against its directory.</summary>
    /// <exception cref="InvalidDataException">
    /// One line naming the file: it is missing or not JSON, or a key is unknown (the known keys are
    /// listed), missing, or holds the wrong kind of value (the value found is shown).
    /// </exception>
    public static SiteConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var settings = ConfigFile.Read(path, Keys);
        var config = settings.Deserialize<SiteConfig>(Json)!;
        if (config.Telemetry?.Problems() is { } telemetry)
        {
            throw new InvalidDataException($"{path}: {telemetry}.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string file) => Path.GetFullPath(file, directory);
        var state = Resolve(config.StateDirectory ?? Path.GetFileNameWithoutExtension(path) + ".state");
        return config with
        {
            Source = path,
            Certificate = Resolve(config.Certificate),
            Key = Resolve(config.Key),
            Root = Resolve(config.Root),
            Crl = config.Crl is null ? null : Resolve(config.Crl),
            Consortium = Resolve(config.Consortium),
            Schema = Resolve(config.Schema),
            Train = Resolve(config.Train),
            Test = Resolve(config.Test),
            Policy = config.Policy is null ? null : Resolve(config.Policy),
            Plan = config.Plan is null ? null : Resolve(config.Plan),
            StateDirectory = state,
            KeyStore = config.KeyStore is null ? null : Resolve(config.KeyStore), // default: SiteRuntime, in the state directory
        };
    }

    /// <summary>The files this config names that must exist before the service starts, with the key that names each.</summary>
    public IEnumerable<(string Key, string File)> InputFiles()
    {
        yield return ("certificate", Certificate);
        yield return ("key", Key);
        yield return ("root", Root);
        if (Crl is not null)
        {
            yield return ("crl", Crl);
        }

        yield return ("consortium", Consortium);
        yield return ("schema", Schema);
        yield return ("train", Train);
        yield return ("test", Test);
        if (Policy is not null)
        {
            yield return ("policy", Policy);
        }

        if (Plan is not null)
        {
            yield return ("plan", Plan);
        }
    }

    /// <summary>Checks that every file in <see cref="InputFiles"/> exists.</summary>
    /// <exception cref="InvalidDataException">One line naming the config file, the key and the file, e.g. <c>site.json: key "train": /data/train.csv does not exist</c>.</exception>
    public void CheckFiles()
    {
        var errors = InputFiles().Select(f => ConfigFile.Missing(f.File) is { } problem ? ConfigFile.FileError(Source ?? "site config", f.Key, f.File, problem) : null).OfType<string>().ToList();
        if (errors.Count > 0)
        {
            throw new InvalidDataException(string.Join("; ", errors));
        }
    }

    private static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };
}
