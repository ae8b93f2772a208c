using HospitalFed.Ledger.Configuration;
using HospitalFed.Ledger.Storage;
using HospitalFed.Site.Configuration;

namespace HospitalFed.Site.State;

/// <summary>
/// The site's state directory (config key <c>stateDirectory</c>): created on first start with mode
/// 0700, and refused when group or others can enter or read it, since it holds the site's signed
/// decisions and, by default, its CKKS key shares. <c>hfed site run</c> and <c>hfed site check</c> both use it.
/// </summary>
public static class SiteStateDirectory
{
    /// <summary>Creates the directory if it is missing and checks its mode.</summary>
    /// <returns>The directory, and whether it was created now.</returns>
    /// <exception cref="InvalidDataException">It cannot be created, or is open to others; one line naming the config file, the key, the directory and the fix.</exception>
    public static (string Directory, bool Created) Prepare(SiteConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var source = config.Source ?? "site config";
        var directory = config.StateDirectory ?? throw new InvalidDataException($"{source}: no state directory (key \"stateDirectory\").");
        bool created;
        try
        {
            created = OwnerOnlyDirectory.Ensure(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException(ConfigFile.FileError(source, "stateDirectory", directory, $"cannot be created: {ex.Message}"), ex);
        }

        if (OwnerOnlyDirectory.OpenToOthers(directory) != 0)
        {
            throw new InvalidDataException(ConfigFile.FileError(
                source, "stateDirectory", directory,
                $"can be read by group or others (mode {OwnerOnlyDirectory.OctalMode(directory)}); it holds this site's plan state and key shares: run 'chmod 700 {directory}' as the service account, then start again"));
        }

        return (directory, created);
    }
}
