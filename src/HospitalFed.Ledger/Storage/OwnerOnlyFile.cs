namespace HospitalFed.Ledger.Storage;

/// <summary>
/// Replaces a file atomically with content only the service account may read: written to
/// <c>PATH.tmp</c> (created mode 0600 on Unix; on Windows it inherits its directory's ACL), flushed
/// to disk, then renamed over <c>PATH</c>, so a crash leaves either the old file or the new one,
/// never a torn mix. The services' state, key store, set-up record and aggregate archive use it.
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
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(head);
            file.Write(body);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
