using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Storage;

namespace HospitalFed.Aggregator.Persistence;

/// <summary>
/// Completed rounds' decoded sums: <c>&lt;digest&gt;.aggregate</c>, named by the digest the round's
/// Aggregate entry logs, holds the SHA-256 of the payload followed by the payload (the sum's float64
/// values, little-endian). Written before that entry is logged (a temporary file, mode 0600 on Unix,
/// flushed to disk, then renamed), so a logged aggregate is always on disk after a crash. The
/// checksum catches a damaged file; the replayed model's digest, checked against the log, catches
/// any other change.
/// </summary>
public sealed class AggregateStore : IAggregateArchive
{
    private const string Extension = ".aggregate";
    private const int ChecksumBytes = 32;
    private readonly string _directory;

    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public AggregateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Directory.CreateDirectory(directory).FullName;
    }

    /// <inheritdoc />
    public void Keep(string digest, ReadOnlySpan<double> sum)
    {
        var path = PathOf(Checked(digest));
        var payload = MemoryMarshal.AsBytes(sum);
        OwnerOnlyFile.Replace(path, SHA256.HashData(payload), payload); // only the service account reads round sums
    }

    /// <inheritdoc />
    public double[] Read(string digest, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var path = PathOf(Checked(digest));
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Aggregate {digest} is logged but missing from {_directory}.");
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < ChecksumBytes || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes.AsSpan(ChecksumBytes)), bytes.AsSpan(0, ChecksumBytes)))
        {
            throw new InvalidDataException($"Aggregate {digest} in {_directory} fails its checksum: the file was altered or damaged.");
        }

        if (bytes.Length - ChecksumBytes != (long)length * sizeof(double))
        {
            throw new InvalidDataException($"Aggregate {digest} holds {(bytes.Length - ChecksumBytes) / sizeof(double)} values; the round's update vector has {length}.");
        }

        return MemoryMarshal.Cast<byte, double>(bytes.AsSpan(ChecksumBytes)).ToArray();
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
