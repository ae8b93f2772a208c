using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace HospitalFed.Aggregator.Persistence;

/// <summary>
/// Global models stored content-addressed: <c>&lt;sha256&gt;.model</c> holds the parameters
/// (float32) then the feature statistics (float64), little-endian, and its name is the SHA-256 of
/// exactly those bytes, the digest logged in the round log's Model entries.
/// </summary>
public sealed class ModelStore
{
    private readonly string _directory;

    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public ModelStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Directory.CreateDirectory(directory).FullName;
    }

    /// <summary>Writes a model and returns its digest (atomically: a temporary file, then a rename).</summary>
    public string Write(ReadOnlySpan<float> parameters, ReadOnlySpan<double> statistics)
    {
        var bytes = new byte[(parameters.Length * sizeof(float)) + (statistics.Length * sizeof(double))];
        MemoryMarshal.AsBytes(parameters).CopyTo(bytes);
        MemoryMarshal.AsBytes(statistics).CopyTo(bytes.AsSpan(parameters.Length * sizeof(float)));
        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var path = PathOf(digest);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
        return digest;
    }

    /// <summary>Reads the model named <paramref name="digest"/>, split as <paramref name="parameterCount"/> parameters then statistics.</summary>
    /// <exception cref="InvalidDataException">The file's content no longer hashes to its name, or has the wrong length.</exception>
    public (float[] Parameters, double[] Statistics) Read(string digest, int parameterCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(digest);
        var bytes = File.ReadAllBytes(PathOf(digest));
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), Convert.FromHexString(digest)))
        {
            throw new InvalidDataException($"Model {digest} in {_directory} does not hash to its name: the file was altered.");
        }

        var split = parameterCount * sizeof(float);
        if (parameterCount < 0 || bytes.Length < split || (bytes.Length - split) % sizeof(double) != 0)
        {
            throw new InvalidDataException($"Model {digest} has {bytes.Length} bytes, which is not {parameterCount} parameters and whole statistics.");
        }

        return (MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, split)).ToArray(), MemoryMarshal.Cast<byte, double>(bytes.AsSpan(split)).ToArray());
    }

    private string PathOf(string digest)
    {
        if (digest.Length != 64 || !digest.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{digest}' is not a lowercase SHA-256 hex digest.", nameof(digest));
        }

        return Path.Combine(_directory, digest + ".model");
    }
}
