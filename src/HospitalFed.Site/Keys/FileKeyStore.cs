using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using HospitalFed.Ledger.Storage;

namespace HospitalFed.Site.Keys;

/// <summary>
/// The site's key store file: one JSON document per plan's key material, created readable and
/// writable by the service account only (0600 on Unix); the store refuses to use a file that group
/// or others can read. On Windows the file inherits its directory's ACL: put it in a directory only
/// the service account can read (docs/operations-guide.md).
/// </summary>
public sealed class FileKeyStore : ISiteKeyStore
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private readonly string _path;

    /// <summary>Uses the store at <paramref name="path"/>; checks its permissions if it exists.</summary>
    /// <exception cref="UnauthorizedAccessException">The file is readable or writable by group or others (Unix).</exception>
    public FileKeyStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        CheckPermissions(_path);
    }

    /// <summary>Throws unless <paramref name="path"/> is absent or accessible by its owner only (Unix; no check on Windows).</summary>
    /// <exception cref="UnauthorizedAccessException">Group or others have access.</exception>
    public static void CheckPermissions(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new UnauthorizedAccessException($"the key store {path} is accessible by group or others (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); it holds secret key shares: run 'chmod 600 {path}' as the service account");
        }
    }

    /// <inheritdoc />
    public CkksKeyMaterial? Load(string planId)
    {
        CheckPermissions(_path);
        if (!File.Exists(_path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(_path);
        try
        {
            var document = JsonNode.Parse(bytes) as JsonObject ?? throw new InvalidDataException($"{_path}: not a key store (expected a JSON object)");
            return document[planId] is JsonObject entry ? Read(planId, entry) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new InvalidDataException($"{_path}: the key store is corrupt ({ex.GetType().Name})", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <inheritdoc />
    public void Save(CkksKeyMaterial material)
    {
        ArgumentNullException.ThrowIfNull(material);
        CheckPermissions(_path);
        var document = File.Exists(_path) ? JsonNode.Parse(File.ReadAllBytes(_path)) as JsonObject ?? [] : [];
        document[material.PlanId] = new JsonObject
        {
            ["preset"] = material.Preset,
            ["aggregator"] = material.Aggregator,
            ["threshold"] = material.Threshold,
            ["keyHolders"] = new JsonArray([.. material.KeyHolders.Select(k => (JsonNode)k)]),
            ["certificates"] = new JsonArray([.. material.Certificates.Select(c => (JsonNode)Convert.ToBase64String(c))]),
            ["publicKey"] = Convert.ToBase64String(material.PublicKey),
            ["shares"] = new JsonArray([.. material.Shares.Select(s => (JsonNode)Convert.ToBase64String(s))]),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document);
        try
        {
            OwnerOnlyFile.Replace(_path, bytes); // atomic: a crash leaves the old store or the new one
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static CkksKeyMaterial Read(string planId, JsonObject entry) => new(
        planId,
        entry["preset"]!.GetValue<string>(),
        entry["aggregator"]!.GetValue<string>(),
        [.. entry["keyHolders"]!.AsArray().Select(k => k!.GetValue<string>())],
        [.. entry["certificates"]!.AsArray().Select(c => Convert.FromBase64String(c!.GetValue<string>()))],
        entry["threshold"]!.GetValue<int>(),
        Convert.FromBase64String(entry["publicKey"]!.GetValue<string>()),
        [.. entry["shares"]!.AsArray().Select(s => Convert.FromBase64String(s!.GetValue<string>()))]);
}
