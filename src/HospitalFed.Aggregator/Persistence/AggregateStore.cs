using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Aggregator.Orchestration;

namespace HospitalFed.Aggregator.Persistence;

/// <summary>
/// Completed rounds' unmasked sums, content-addressed: <c>&lt;sha256&gt;.aggregate</c> holds the
/// sum's 32-bit words little-endian, and its name is the SHA-256 of exactly those bytes, the digest
/// logged in the round's Aggregate entry. Written before that entry is logged (a temporary file,
/// mode 0600 on Unix, flushed to disk, then renamed), so a logged aggregate is always on disk after a crash.
/// </summary>
public sealed class AggregateStore : IAggregateArchive
{
    private const string Extension = ".aggregate";
    private readonly string _directory;

    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public AggregateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Directory.CreateDirectory(directory).FullName;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="digest"/> is not the SHA-256 of <paramref name="sum"/>.</exception>
    public void Keep(string digest, ReadOnlySpan<uint> sum)
    {
        var bytes = MemoryMarshal.AsBytes(sum);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), Convert.FromHexString(Checked(digest))))
        {
            throw new ArgumentException($"Aggregate {digest} is not the SHA-256 of the sum given.", nameof(digest));
        }

        var path = PathOf(digest);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // only the service account reads round sums
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc />
    public uint[] Read(string digest, int words)
    {
        var path = PathOf(Checked(digest));
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Aggregate {digest} is logged but missing from {_directory}.");
        }

        var bytes = File.ReadAllBytes(path);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), Convert.FromHexString(digest)))
        {
            throw new InvalidDataException($"Aggregate {digest} in {_directory} does not hash to its name: the file was altered.");
        }

        if (bytes.Length != (long)words * sizeof(uint))
        {
            throw new InvalidDataException($"Aggregate {digest} has {bytes.Length} bytes; the round's quantisation plan has {words} words.");
        }

        return MemoryMarshal.Cast<byte, uint>(bytes).ToArray();
    }

    /// <summary>
    /// Deletes stored sums not in <paramref name="logged"/>: a sum written just before a crash whose
    /// Aggregate entry never reached the log belongs to a round that is aborted, and is not kept.
    /// </summary>
    /// <returns>The number of files deleted.</returns>
    public int Prune(IReadOnlySet<string> logged)
    {
        ArgumentNullException.ThrowIfNull(logged);
        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + Extension + "*"))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(".tmp", StringComparison.Ordinal) || !logged.Contains(name[..name.IndexOf('.', StringComparison.Ordinal)]))
            {
                File.Delete(path);
                deleted++;
            }
        }

        return deleted;
    }

    private static string Checked(string digest) =>
        digest is { Length: 64 } && digest.All(char.IsAsciiHexDigitLower)
            ? digest
            : throw new ArgumentException($"'{digest}' is not a lowercase SHA-256 hex digest.", nameof(digest));

    private string PathOf(string digest) => Path.Combine(_directory, digest + Extension);
}
