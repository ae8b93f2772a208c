using System.Security.Cryptography;
using HospitalFed.Aggregator.Configuration;
using HospitalFed.Crypto.Identity;
using HospitalFed.Ledger.Configuration;
using HospitalFed.Ledger.Pki;
using HospitalFed.Ledger.Plans;
using HospitalFed.Ledger.Storage;

namespace HospitalFed.Aggregator.Hosting;

/// <summary>The files and directories the config names: each failure is one line naming the key and the file.</summary>
public sealed partial class AggregatorRuntime
{
    /// <summary>Loads one file the config names; any failure is one line naming the config key and the file.</summary>
    private static T Input<T>(AggregatorConfig config, string key, string file, string what, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or System.Text.Json.JsonException or PlanException or PkiException or IdentityException or ArgumentException)
        {
            throw new InvalidDataException(ConfigFile.FileError(config.Source ?? "aggregator config", key, file, $"is not a usable {what}: {ex.Message}"), ex);
        }
    }

    /// <summary>
    /// Creates the round log's and the models' directories on first start, owner-only (0700 on
    /// Unix). Called once every start check passed, so a refused start still writes nothing.
    /// </summary>
    private static void CreateDirectories(AggregatorConfig config)
    {
        foreach (var (key, directory) in new[] { ("log", Path.GetDirectoryName(config.Log)), ("modelsDirectory", config.Models) })
        {
            if (string.IsNullOrEmpty(directory))
            {
                continue;
            }

            try
            {
                OwnerOnlyDirectory.Ensure(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidDataException(ConfigFile.FileError(config.Source ?? "aggregator config", key, directory, $"cannot be created: {ex.Message}"), ex);
            }
        }
    }
}
