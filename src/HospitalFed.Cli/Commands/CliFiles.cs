using System.Text;

namespace HospitalFed.Cli.Commands;

/// <summary>File access for commands: clear one-line errors, no silent overwrites, private keys created 0600.</summary>
internal static class CliFiles
{
    public static string ReadText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {what} '{path}': {ex.Message}");
        }
    }

    public static byte[] ReadBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {what} '{path}': {ex.Message}");
        }
    }

    /// <summary>Writes a public file (certificate, CRL, plan); refuses to replace one unless <paramref name="replace"/>.</summary>
    public static void WritePublic(string path, string text, bool replace = false) =>
        Write(path, Encoding.UTF8.GetBytes(text), replace, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    /// <summary>Writes a file with raw bytes; refuses to replace one unless <paramref name="replace"/>.</summary>
    public static void WritePublic(string path, byte[] bytes, bool replace = false) =>
        Write(path, bytes, replace, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    /// <summary>Writes a private key, created with mode 0600 on Unix (never readable by group or others, even briefly); never replaces a file.</summary>
    public static void WritePrivate(string path, string text) =>
        Write(path, Encoding.UTF8.GetBytes(text), false, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    private static void Write(string path, byte[] bytes, bool replace, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = replace ? FileMode.Create : FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            using var stream = new FileStream(path, options);
            stream.Write(bytes);
        }
        catch (IOException) when (!replace && File.Exists(path))
        {
            throw new CliException($"'{path}' already exists; refusing to overwrite it");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write '{path}': {ex.Message}");
        }
    }

    /// <summary>Reads the CA passphrase from <paramref name="passphraseFile"/> or HFED_CA_PASSPHRASE.</summary>
    public static string Passphrase(string? passphraseFile)
    {
        if (passphraseFile is not null)
        {
            return ReadText(passphraseFile, "passphrase file").TrimEnd('\r', '\n');
        }

        return Environment.GetEnvironmentVariable("HFED_CA_PASSPHRASE") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : throw new CliException("the CA key is encrypted: give its passphrase with --passphrase-file FILE or the HFED_CA_PASSPHRASE environment variable");
    }
}
