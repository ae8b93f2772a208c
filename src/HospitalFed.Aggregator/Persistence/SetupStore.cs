using System.Security.Cryptography;
using HospitalFed.Aggregator.Orchestration;
using HospitalFed.Ledger.Storage;

namespace HospitalFed.Aggregator.Persistence;

/// <summary>
/// Plans' set-up records: <c>&lt;plan id&gt;.setup</c> holds the SHA-256 of the record followed by
/// the record. Written when the set-up completes, before round 1 is logged (a temporary file, mode
/// 0600 on Unix, flushed to disk, then renamed), so a plan with a logged round always has its
/// record after a crash. The checksum catches a damaged file; the signatures inside the record,
/// verified by the protection on every read, catch any deliberate change.
/// </summary>
public sealed class SetupStore : ISetupArchive
{
    private const string Extension = ".setup";
    private const int ChecksumBytes = 32;
    private readonly string _directory;

    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public SetupStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Directory.CreateDirectory(directory).FullName;
    }

    /// <inheritdoc />
    public string Locate(string planId) => Path.Combine(_directory, Checked(planId) + Extension);

    /// <inheritdoc />
    public void Keep(string planId, ReadOnlySpan<byte> record)
    {
        // Public data, but only the service may replace it.
        OwnerOnlyFile.Replace(Locate(planId), SHA256.HashData(record), record);
    }

    /// <inheritdoc />
    public byte[]? Read(string planId)
    {
        var path = Locate(planId);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < ChecksumBytes || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes.AsSpan(ChecksumBytes)), bytes.AsSpan(0, ChecksumBytes)))
        {
            throw new InvalidDataException($"The set-up record {path} fails its checksum: the file was altered or damaged.");
        }

        return bytes[ChecksumBytes..];
    }

    /// <summary>Plan ids become file names: only letters, digits, '.', '-' and '_' (and not '.' or '..').</summary>
    private static string Checked(string planId) =>
        !string.IsNullOrEmpty(planId) && planId.Length <= 200 && planId.Trim('.').Length > 0 && planId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            ? planId
            : throw new ArgumentException($"Plan id '{planId}' cannot name a set-up record file.", nameof(planId));
}
