namespace HospitalFed.Transport;

/// <summary>
/// One metadata header. Keys ending in <c>-bin</c> carry bytes (base64 on the wire); all others
/// carry printable ASCII text (PROTOCOL-HTTP2.md "Custom-Metadata").
/// </summary>
public sealed class MetadataEntry
{
    private readonly string? _text;
    private readonly byte[]? _bytes;

    internal MetadataEntry(string key, string? text, byte[]? bytes)
    {
        Key = key;
        _text = text;
        _bytes = bytes;
    }

    /// <summary>The lower-case header name.</summary>
    public string Key { get; }

    /// <summary>Whether this is a binary (<c>-bin</c>) entry.</summary>
    public bool IsBinary => _bytes is not null;

    /// <summary>The text value.</summary>
    /// <exception cref="InvalidOperationException">The entry is binary.</exception>
    public string Value => _text ?? throw new InvalidOperationException($"Metadata entry '{Key}' is binary; read ValueBytes.");

    /// <summary>The binary value (a copy).</summary>
    /// <exception cref="InvalidOperationException">The entry is text.</exception>
    public byte[] ValueBytes => _bytes is { } b ? (byte[])b.Clone() : throw new InvalidOperationException($"Metadata entry '{Key}' is text; read Value.");

    internal byte[]? RawBytes => _bytes;
}
