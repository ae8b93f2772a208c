using System.Text.Json;
using HospitalFed.Ledger.Configuration;
using HospitalFed.Transport.Telemetry;

namespace HospitalFed.Aggregator.Configuration;

/// <summary>
/// The aggregator service's configuration file (JSON, camelCase, comments allowed; see
/// config/aggregator.json). Relative paths are resolved against the file's directory.
/// </summary>
public sealed record AggregatorConfig
{
    /// <summary>The address to listen on; default 127.0.0.1 (use 0.0.0.0 behind a firewall that admits the sites).</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>The TCP port (HTTP/2 over TLS).</summary>
    public required int Port { get; init; }

    /// <summary>The aggregator's certificate (aggregator role, DNS name the sites dial).</summary>
    public required string Certificate { get; init; }

    /// <summary>The aggregator's private key (PEM, unencrypted, mode 0600).</summary>
    public required string Key { get; init; }

    /// <summary>The consortium root certificate (PEM); site certificates must chain to it.</summary>
    public required string Root { get; init; }

    /// <summary>The consortium CRL (PEM); strongly recommended.</summary>
    public string? Crl { get; init; }

    /// <summary>The CA-signed consortium config.</summary>
    public required string Consortium { get; init; }

    /// <summary>The canonical plan written by <c>hfed plan propose</c>.</summary>
    public required string Plan { get; init; }

    /// <summary>The admins' approval files written by <c>hfed plan approve</c>.</summary>
    public required IReadOnlyList<string> Approvals { get; init; }

    /// <summary>The consortium's extract schema (fixes the model's input width).</summary>
    public required string Schema { get; init; }

    /// <summary>The round log (SQLite, WAL); created if missing.</summary>
    public required string Log { get; init; }

    /// <summary>Directory of content-addressed global models; default <c>models</c> beside the log.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>The resolved models directory.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Models => ModelsDirectory ?? Path.Combine(Path.GetDirectoryName(Log) ?? ".", "models");

    /// <summary>The sites invited to the plan (certificate names).</summary>
    public required IReadOnlyList<string> Sites { get; init; }

    /// <summary>Seconds to wait for every invited site before opening with the plan's minimum; default 60.</summary>
    public double JoinTimeoutSeconds { get; init; } = 60;

    /// <summary>Seconds per protocol phase; default 60.</summary>
    public double PhaseTimeoutSeconds { get; init; } = 60;

    /// <summary>The consortium dashboard served beside the sites' port; null (the default) serves none.</summary>
    public AggregatorDashboardConfig? Dashboard { get; init; }

    /// <summary>OpenTelemetry export of the aggregator's metrics and traces; null (the default) exports nothing.</summary>
    public TelemetryConfig? Telemetry { get; init; }

    /// <summary>The config file this was loaded from, as given (error messages name it); null if built in code.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Source { get; init; }

    /// <summary>Every key an aggregator config may hold; any other key is refused.</summary>
    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        new("listenAddress", ConfigValueKind.Text),
        new("port", ConfigValueKind.Integer, Required: true),
        new("certificate", ConfigValueKind.Path, Required: true),
        new("key", ConfigValueKind.Path, Required: true),
        new("root", ConfigValueKind.Path, Required: true),
        new("crl", ConfigValueKind.Path),
        new("consortium", ConfigValueKind.Path, Required: true),
        new("plan", ConfigValueKind.Path, Required: true),
        new("approvals", ConfigValueKind.PathList, Required: true),
        new("schema", ConfigValueKind.Path, Required: true),
        new("log", ConfigValueKind.Path, Required: true),
        new("modelsDirectory", ConfigValueKind.Path),
        new("sites", ConfigValueKind.TextList, Required: true),
        new("joinTimeoutSeconds", ConfigValueKind.PositiveNumber),
        new("phaseTimeoutSeconds", ConfigValueKind.PositiveNumber),
        new("dashboard", ConfigValueKind.Section, Keys: AggregatorDashboardConfig.Keys),
        new("telemetry", ConfigValueKind.Section, Keys: TelemetryConfig.Keys),
    ];

    /// <summary>Loads <paramref name="path"/>, resolving relative paths against its directory.</summary>
    /// <exception cref="InvalidDataException">
    /// One line naming the file: it is missing or not JSON, or a key is unknown (the known keys are
    /// listed), missing, or holds the wrong kind of value (the value found is shown).
    /// </exception>
    public static AggregatorConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var config = ConfigFile.Read(path, Keys).Deserialize<AggregatorConfig>(Json)!;
        if (config.Port is <= 0 or > 65535)
        {
            throw new InvalidDataException($"{path}: key \"port\" must be a TCP port from 1 to 65535, found the number {config.Port}.");
        }

        if (config.Dashboard?.Problems(config) is { } dashboard)
        {
            throw new InvalidDataException($"{path}: {dashboard}.");
        }

        if (config.Telemetry?.Problems() is { } telemetry)
        {
            throw new InvalidDataException($"{path}: {telemetry}.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string file) => Path.GetFullPath(file, directory);
        return config with
        {
            Source = path,
            Certificate = Resolve(config.Certificate),
            Key = Resolve(config.Key),
            Root = Resolve(config.Root),
            Crl = config.Crl is null ? null : Resolve(config.Crl),
            Consortium = Resolve(config.Consortium),
            Plan = Resolve(config.Plan),
            Approvals = [.. config.Approvals.Select(Resolve)],
            Schema = Resolve(config.Schema),
            Log = Resolve(config.Log),
            ModelsDirectory = config.ModelsDirectory is null ? null : Resolve(config.ModelsDirectory),
        };
    }

    /// <summary>Checks that every input file this config names exists.</summary>
    /// <exception cref="InvalidDataException">One line naming the config file, the key (and the entry of "approvals") and the file.</exception>
    public void CheckFiles()
    {
        var files = new List<(string Key, string File, int? Entry)> { ("certificate", Certificate, null), ("key", Key, null), ("root", Root, null) };
        if (Crl is not null)
        {
            files.Add(("crl", Crl, null));
        }

        files.AddRange([("consortium", Consortium, null), ("plan", Plan, null), ("schema", Schema, null)]);
        files.AddRange(Approvals.Select((file, i) => ("approvals", file, (int?)i)));
        var errors = files.Select(f => ConfigFile.Missing(f.File) is { } problem ? ConfigFile.FileError(Source ?? "aggregator config", f.Key, f.File, problem, f.Entry) : null).OfType<string>().ToList();
        if (errors.Count > 0)
        {
            throw new InvalidDataException(string.Join("; ", errors));
        }
    }

    private static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };
}
