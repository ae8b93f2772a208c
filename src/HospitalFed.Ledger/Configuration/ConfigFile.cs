using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HospitalFed.Ledger.Configuration;

/// <summary>
/// Reads a service config file (JSON, comments and trailing commas allowed) and checks it against
/// its keys before anything is bound to a type, so that every refusal speaks the operator's terms:
/// the file, the key, the expected kind of value and the value found; never a CLR type name.
/// </summary>
public static class ConfigFile
{
    private const int ShownValueLength = 60;

    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads <paramref name="path"/> and checks every key against <paramref name="keys"/> (names compared ignoring case, as the binder does).</summary>
    /// <returns>The file's object, keys as written.</returns>
    /// <exception cref="InvalidDataException">
    /// One line starting with <paramref name="path"/>: the file is missing, unreadable or not JSON;
    /// a key is unknown (the known keys are listed), missing, or of the wrong kind (the value found is shown).
    /// </exception>
    public static JsonObject Read(string path, IReadOnlyList<ConfigKey> keys)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(keys);
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(File.ReadAllBytes(path), documentOptions: Options);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{path}: the config file does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: the config file cannot be read ({ex.Message}).", ex);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON at line {(ex.LineNumber ?? 0) + 1}: {ex.Message}", ex);
        }

        if (document is not JsonObject settings)
        {
            throw new InvalidDataException($"{path}: expected a JSON object of settings ({{ \"key\": value, ... }}), found {Describe(document)}.");
        }

        CheckObject(path, settings, keys, prefix: "");
        return settings;
    }

    /// <summary>Checks one object's keys; <paramref name="prefix"/> names the section ("dashboard.") in messages.</summary>
    private static void CheckObject(string path, JsonObject settings, IReadOnlyList<ConfigKey> keys, string prefix)
    {
        foreach (var (name, value) in settings)
        {
            var key = keys.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidDataException($"{path}: unknown key \"{prefix}{name}\"; the known keys{(prefix.Length == 0 ? "" : $" of \"{prefix.TrimEnd('.')}\"")} are {string.Join(", ", keys.Select(k => k.Name))}.");
            Check(path, key with { Name = prefix + key.Name }, value);
            if (key.Kind == ConfigValueKind.Section && value is JsonObject section)
            {
                CheckObject(path, section, key.Keys ?? [], prefix + key.Name + ".");
            }
        }

        foreach (var key in keys.Where(k => k.Required))
        {
            if (!settings.Any(p => string.Equals(p.Key, key.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidDataException($"{path}: key \"{prefix}{key.Name}\" is missing; it must be {Expected(key.Kind)}.");
            }
        }
    }

    /// <summary>The one-line error for a file a config key points at: <c>site.json: key "train": /data/train.csv does not exist</c>.</summary>
    /// <param name="configPath">The config file.</param>
    /// <param name="key">The key naming the file.</param>
    /// <param name="file">The file (resolved path).</param>
    /// <param name="problem">What is wrong with it, e.g. "does not exist".</param>
    /// <param name="entry">The entry's index when the key holds a list; none by default.</param>
    public static string FileError(string configPath, string key, string file, string problem, int? entry = null) =>
        entry is { } i ? $"{configPath}: key \"{key}\", entry {i}: {file} {problem}" : $"{configPath}: key \"{key}\": {file} {problem}";

    /// <summary>What is wrong with <paramref name="file"/> as an input file, or null if it is a file that exists.</summary>
    public static string? Missing(string file) =>
        File.Exists(file) ? null : Directory.Exists(file) ? "is a directory, not a file" : "does not exist";

    private static void Check(string path, ConfigKey key, JsonNode? value)
    {
        if (value is null)
        {
            if (key.Required)
            {
                throw new InvalidDataException($"{path}: key \"{key.Name}\" must be {Expected(key.Kind)}, found null.");
            }

            return;
        }

        if (key.Kind is ConfigValueKind.PathList or ConfigValueKind.TextList)
        {
            if (value is not JsonArray list)
            {
                throw WrongKind(path, key.Name, key.Kind, value);
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonValue item || item.GetValueKind() != JsonValueKind.String || item.GetValue<string>().Length == 0)
                {
                    throw new InvalidDataException($"{path}: key \"{key.Name}\", entry {i}: must be a non-empty string, found {Describe(list[i])}.");
                }
            }

            return;
        }

        var kind = value.GetValueKind();
        var ok = key.Kind switch
        {
            ConfigValueKind.Integer => kind == JsonValueKind.Number && value.AsValue().TryGetValue<int>(out _),
            ConfigValueKind.PositiveNumber => kind == JsonValueKind.Number && value.GetValue<double>() > 0,
            ConfigValueKind.Url => kind == JsonValueKind.String && Uri.TryCreate(value.GetValue<string>(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp),
            ConfigValueKind.Path => kind == JsonValueKind.String && value.GetValue<string>().Length > 0,
            ConfigValueKind.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
            ConfigValueKind.Section => kind == JsonValueKind.Object,
            _ => kind == JsonValueKind.String,
        };
        if (!ok)
        {
            throw WrongKind(path, key.Name, key.Kind, value);
        }
    }

    private static InvalidDataException WrongKind(string path, string name, ConfigValueKind kind, JsonNode value) =>
        new($"{path}: key \"{name}\" must be {Expected(kind)}, found {Describe(value)}.");

    private static string Expected(ConfigValueKind kind) => kind switch
    {
        ConfigValueKind.Path => "a file path (a non-empty string)",
        ConfigValueKind.Url => "an absolute URL such as \"https://aggregator.example.org:7443\"",
        ConfigValueKind.Integer => "a whole number",
        ConfigValueKind.PositiveNumber => "a number greater than 0",
        ConfigValueKind.PathList => "a list of file paths ([\"...\", ...])",
        ConfigValueKind.TextList => "a list of strings ([\"...\", ...])",
        ConfigValueKind.Boolean => "true or false",
        ConfigValueKind.Section => "an object of settings ({ \"key\": value, ... })",
        _ => "a string",
    };

    private static string Describe(JsonNode? value)
    {
        if (value is null)
        {
            return "null";
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{Shorten(value.GetValue<string>())}\"",
            JsonValueKind.Number => $"the number {Shorten(value.ToJsonString())}",
            JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
            JsonValueKind.Array => $"a list of {value.AsArray().Count.ToString(CultureInfo.InvariantCulture)} value(s)",
            JsonValueKind.Object => "an object",
            _ => "null",
        };
    }

    private static string Shorten(string text) => text.Length <= ShownValueLength ? text : string.Concat(text.AsSpan(0, ShownValueLength), "...");
}
