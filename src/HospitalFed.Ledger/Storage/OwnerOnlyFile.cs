namespace HospitalFed.Ledger.Storage;

/// <summary>
/// Replaces a file atomically with content only the service account may read: written to
/// <c>PATH.tmp</c> (created mode 0600 on Unix; on Windows it inherits its directory's ACL), flushed
/// to disk, then renamed over <c>PATH</c>, so a crash leaves either the old file or the new one,
/// never a torn mix. The services' state, key store, set-up record and aggregate archive use it.
/// <see cref="CreateNew"/> writes a file that must not exist yet (a freshly generated private key);
/// <see cref="Append"/> extends an append-only file (a site's countersigned heads).
/// </summary>
public static class OwnerOnlyFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    /// <exception cref="IOException">The file cannot be written or renamed.</exception>
    public static void Replace(string path, ReadOnlySpan<byte> content) => Replace(path, content, []);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="head"/> followed by <paramref name="body"/> (for example a checksum, then what it covers).</summary>
    /// <exception cref="IOException">The file cannot be written or renamed.</exception>
    public static void Replace(string path, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, Options(FileMode.Create)))
        {
            file.Write(head);
            file.Write(body);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Creates <paramref name="path"/> holding <paramref name="content"/>, mode 0600 on Unix from the
    /// moment it exists (never readable by group or others, even briefly); refuses to replace a file.
    /// </summary>
    /// <exception cref="IOException">The file already exists or cannot be written.</exception>
    public static void CreateNew(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, Options(FileMode.CreateNew));
        file.Write(content);
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Appends <paramref name="content"/> to <paramref name="path"/> (created mode 0600 on Unix if
    /// missing) and flushes it to disk. Not atomic: a crash may leave a torn tail, which the
    /// reader must recognise (for example a last line without its newline).
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Append(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, Options(FileMode.Append));
        file.Write(content);
        file.Flush(flushToDisk: true);
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
