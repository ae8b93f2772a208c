using System.Text.Json;

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

    /// <summary>Loads <paramref name="path"/>, resolving relative paths against its directory.</summary>
    /// <exception cref="InvalidDataException">Not valid JSON or a required field is missing; the message names the file.</exception>
    public static AggregatorConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AggregatorConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<AggregatorConfig>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }

        if (config is null)
        {
            throw new InvalidDataException($"{path}: the file is empty (null).");
        }

        if (config.Port is <= 0 or > 65535 || config.JoinTimeoutSeconds <= 0 || config.PhaseTimeoutSeconds <= 0)
        {
            throw new InvalidDataException($"{path}: port must be 1-65535 and timeouts positive.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string file) => Path.GetFullPath(file, directory);
        return config with
        {
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

    private static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };
}
