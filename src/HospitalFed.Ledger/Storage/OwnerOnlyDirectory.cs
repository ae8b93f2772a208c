namespace HospitalFed.Ledger.Storage;

/// <summary>
/// The services' state, log and model directories: created on first start with mode 0700 (owner
/// only; on Windows the directory inherits its parent's ACL and no mode is checked), and an existing
/// one that group or others may enter or read is reported so the operator can restrict it.
/// </summary>
public static class OwnerOnlyDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> and each missing parent with mode 0700 on Unix if it does not exist.</summary>
    /// <returns>Whether it was created now.</returns>
    /// <exception cref="IOException">It cannot be created (a file is in the way, a parent is read-only...).</exception>
    /// <exception cref="UnauthorizedAccessException">The service account may not create it.</exception>
    public static bool Ensure(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return true;
        }

        // Directory.CreateDirectory(path, mode) gives the mode to the last level only; each missing
        // parent is created owner-only too, so no level this service created is open to others.
        var missing = new Stack<string>();
        for (var level = Path.GetFullPath(path); !string.IsNullOrEmpty(level) && !Directory.Exists(level); level = Path.GetDirectoryName(level))
        {
            missing.Push(level);
        }

        while (missing.TryPop(out var level))
        {
            Directory.CreateDirectory(level, OwnerOnly);
        }

        return true;
    }

    /// <summary>The mode bits of <paramref name="path"/> that let group or others in (none on Windows or when it is owner-only).</summary>
    public static UnixFileMode OpenToOthers(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OperatingSystem.IsWindows() ? 0 : File.GetUnixFileMode(path) & GroupOrOthers;
    }

    /// <summary>The mode of <paramref name="path"/> in octal, e.g. <c>0755</c> (empty on Windows).</summary>
    public static string OctalMode(string path) =>
        OperatingSystem.IsWindows() ? string.Empty : "0" + Convert.ToString((int)File.GetUnixFileMode(path) & 0x1FF, 8);
}
