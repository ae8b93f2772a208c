using System.Collections;

namespace HospitalFed.Transport;

/// <summary>
/// Custom call metadata (request headers, response trailers). Reserved names (<c>grpc-*</c>,
/// <c>content-type</c>, <c>te</c>, pseudo-headers) cannot be added: the transport owns them.
/// </summary>
public sealed class Metadata : IReadOnlyList<MetadataEntry>
{
    /// <summary>The suffix that marks a binary header (PROTOCOL-HTTP2.md "Binary-Header").</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<MetadataEntry> _entries = [];

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public MetadataEntry this[int index] => _entries[index];

    /// <summary>Adds a text entry.</summary>
    /// <param name="key">Header name: lower-case letters, digits, '-', '_', '.'; not ending in <c>-bin</c>.</param>
    /// <param name="value">Printable ASCII (0x20-0x7E).</param>
    /// <exception cref="ArgumentException">The key is reserved or invalid, or the value is not printable ASCII.</exception>
    public void Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        key = ValidateKey(key);
        if (key.EndsWith(BinarySuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Metadata key '{key}' ends with '{BinarySuffix}' and so needs a byte[] value.", nameof(key));
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException($"Metadata value for '{key}' must be printable ASCII; use a '{BinarySuffix}' key for other data.", nameof(value));
            }
        }

        _entries.Add(new MetadataEntry(key, value, null));
    }

    /// <summary>Adds a binary entry (sent base64-encoded).</summary>
    /// <param name="key">Header name ending in <c>-bin</c>.</param>
    /// <param name="value">The bytes (copied).</param>
    /// <exception cref="ArgumentException">The key is reserved, invalid, or does not end in <c>-bin</c>.</exception>
    public void Add(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        key = ValidateKey(key);
        if (!key.EndsWith(BinarySuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Binary metadata key '{key}' must end with '{BinarySuffix}'.", nameof(key));
        }

        _entries.Add(new MetadataEntry(key, null, (byte[])value.Clone()));
    }

    /// <summary>The first entry named <paramref name="key"/>, or <see langword="null"/>.</summary>
    /// <param name="key">Header name (case-insensitive).</param>
    public MetadataEntry? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _entries.Find(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <inheritdoc />
    public IEnumerator<MetadataEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void AddTrusted(MetadataEntry entry) => _entries.Add(entry);

    private static string ValidateKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var lower = key.ToLowerInvariant();
        foreach (var c in lower)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.'))
            {
                throw new ArgumentException($"Metadata key '{key}' may contain only letters, digits, '-', '_' and '.'.", nameof(key));
            }
        }

        if (Internal.GrpcProtocolConstants.IsReservedHeader(lower))
        {
            throw new ArgumentException($"Metadata key '{key}' is reserved for the transport.", nameof(key));
        }

        return lower;
    }
}
